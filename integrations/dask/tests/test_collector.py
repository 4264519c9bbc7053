"""The collector is started as its launcher's shebang starts it (a bounded young generation, two
libuv threads: its peak RSS depends on them), not with a bare `node FILE` that skips them."""

import os
import shutil
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

from losslens_dask.collector import Child, collector_command

from .support import CLI


def _proc(pid, name):
    return Path(f"/proc/{pid}/{name}").read_bytes().split(b"\0")


class CollectorCommandTest(unittest.TestCase):
    def test_the_launcher_runs_with_its_shebangs_flags_and_environment(self):
        self.assertEqual(collector_command({"LOSSLENS_BIN": str(CLI), "PATH": os.environ["PATH"]}), [str(CLI)])
        with tempfile.TemporaryDirectory() as tmp:
            child = Child(["collect", "-", "--out", str(Path(tmp) / "store"), "--job-id", "j", "--progress", "none"],
                          stdin=subprocess.PIPE, command=[str(CLI)])
            try:
                # `env -S` replaces itself with node in the same process.
                deadline = time.monotonic() + 20
                while b"--max-semi-space-size=1" not in _proc(child.proc.pid, "cmdline") and time.monotonic() < deadline:
                    time.sleep(0.05)
                self.assertIn(b"--max-semi-space-size=1", _proc(child.proc.pid, "cmdline"))
                self.assertIn(b"UV_THREADPOOL_SIZE=2", _proc(child.proc.pid, "environ"))
            finally:
                child.proc.stdin.close()
                child.proc.wait(timeout=60)

    def test_a_script_that_cannot_be_run_directly_goes_through_node(self):
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "losslens.mjs"
            shutil.copyfile(CLI, copy)  # not executable
            cmd = collector_command({"LOSSLENS_BIN": str(copy), "PATH": os.environ["PATH"]})
            self.assertEqual(cmd, [shutil.which("node"), str(copy)])


if __name__ == "__main__":
    unittest.main()
