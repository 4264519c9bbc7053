"""Finding and running the `losslens` collector: `LOSSLENS_BIN` (a path such as
…/bin/losslens.mjs, run with node, or a command line) or `losslens` on PATH."""

import os
import shlex
import shutil
import subprocess
import tempfile


class CollectorError(RuntimeError):
    """The collector could not be found, or it stopped with an error (its stderr is included)."""


def _has_shebang(path):
    try:
        with open(path, "rb") as f:
            return f.read(2) == b"#!"
    except OSError:
        return False


def collector_command(env=None):
    env = os.environ if env is None else env
    given = env.get("LOSSLENS_BIN", "").strip()
    if given:
        if os.path.isfile(given):
            if given.endswith((".mjs", ".js", ".cjs")):
                # bin/losslens.mjs's shebang carries the collector's Node flags and environment
                # (a bounded young generation, two libuv threads: its peak RSS depends on them),
                # which `node FILE` would skip: run it directly when it can be.
                if os.access(given, os.X_OK) and _has_shebang(given):
                    return [given]
                node = shutil.which("node", path=env.get("PATH"))
                if not node:
                    raise CollectorError(f"LOSSLENS_BIN={given} is a Node script but `node` is not on PATH")
                return [node, given]
            return [given]
        parts = shlex.split(given)
        if parts and shutil.which(parts[0], path=env.get("PATH")):
            return parts
        raise CollectorError(f"LOSSLENS_BIN={given!r} is neither a file nor a command on PATH")
    found = shutil.which("losslens", path=env.get("PATH"))
    if found:
        return [found]
    raise CollectorError(
        "the losslens collector was not found: put `losslens` on PATH (npm i -g, or npm link in the "
        "Losslens checkout) or set LOSSLENS_BIN=/path/to/losslens/bin/losslens.mjs"
    )


class Child:
    """A collector child process; its stderr goes to a temp file (a pipe nobody reads could fill
    and stall it), and is quoted back when it fails."""

    def __init__(self, args, stdin=None, command=None):
        self.args = [*(command or collector_command()), *args]
        self._err = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(self.args, stdin=stdin, stdout=subprocess.DEVNULL, stderr=self._err)

    def stderr_text(self, limit=4000):
        self._err.seek(0)
        return self._err.read().decode("utf-8", errors="replace")[-limit:]

    def wait(self, timeout=None):
        code = self.proc.wait(timeout=timeout)
        if code != 0:
            raise CollectorError(f"`{shlex.join(self.args)}` exited with {code}: {self.stderr_text().strip()}")
        self._err.close()
        return code

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def run(args, command=None):
    """Run a short collector command (info, summary); returns its stdout."""
    cmd = [*(command or collector_command()), *args]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise CollectorError(f"`{shlex.join(cmd)}` exited with {r.returncode}: {r.stderr.strip()[-4000:]}")
    return r.stdout
