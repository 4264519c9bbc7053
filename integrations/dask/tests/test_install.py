"""The package as a study installs it: `pip install ./integrations/dask` (offline, as on a cluster
node without a registry), then used from another folder with nothing of the source tree on the
path: every module is in the install and a small real collection works from it."""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import unittest
from pathlib import Path

from .support import CLI, duck, relation, tempdir

PKG = Path(__file__).resolve().parents[1]

_USE = """
import json, sys
from distributed import Client
import losslens_dask
from losslens_dask import collect_target_losses_streaming

def agg(i):
    if i % 7 == 3:
        raise ValueError(f"no fit for {i}")
    return {"loss": i / 10, "n_replicates": 2}

with Client(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None) as c:
    futs = [(f"p{i}", "t1", c.submit(agg, i, pure=False)) for i in range(40)]
    out = collect_target_losses_streaming(c, "job-installed", futs, batch_size=8, output_path=sys.argv[1])
print(json.dumps({"file": losslens_dask.__file__, "store": str(out)}))
"""


@unittest.skipUnless(importlib.util.find_spec("pip"), "pip is not installed (apt-get install python3-pip)")
class InstallTest(unittest.TestCase):
    def test_pip_install_then_collect_from_elsewhere(self):
        work = tempdir(self, "install")
        # A copy, so setuptools' build/ and egg-info do not land in the source tree.
        src = work / "src"
        shutil.copytree(PKG, src, ignore=shutil.ignore_patterns("tests", "build", "*.egg-info", "__pycache__"))
        target = work / "site"
        pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-index", "--no-build-isolation", "--no-deps"]
        r = subprocess.run([*pip, "--target", str(target), str(src)], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)

        wanted = sorted(p.name for p in (PKG / "losslens_dask").glob("*.py"))
        self.assertEqual(sorted(p.name for p in (target / "losslens_dask").glob("*.py")), wanted)

        env = {**os.environ, "PYTHONPATH": str(target), "LOSSLENS_BIN": str(CLI)}
        store = work / "store"
        r = subprocess.run(
            [sys.executable, "-c", _USE, str(store)], cwd=work, env=env, capture_output=True, text=True, timeout=120
        )
        self.assertEqual(r.returncode, 0, r.stderr)
        got = json.loads(r.stdout.strip().splitlines()[-1])
        self.assertTrue(Path(got["file"]).is_relative_to(target), got["file"])
        self.assertEqual(Path(got["store"]).resolve(), store.resolve())

        rows = duck(
            f"SELECT status, count(*)::INT AS n, count(DISTINCT param_id)::INT AS sets,"
            f" bool_and(status <> 'failed' OR error_message LIKE 'no fit for %') AS msgs FROM {relation(store)}"
            f" GROUP BY status ORDER BY status"
        )
        failed = sum(1 for i in range(40) if i % 7 == 3)
        self.assertEqual(
            [(x["status"], x["n"], x["msgs"]) for x in rows],
            [("failed", failed, True), ("ok", 40 - failed, True)],
        )
