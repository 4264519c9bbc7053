"""Client-side streaming from a real LocalCluster (2 worker processes) into a store, checked
against native DuckDB over the store's shards and against the study's own expected records."""

import gc
import json
import os
import signal
import subprocess
import sys
import threading
import time
import unittest
import weakref
from pathlib import Path

from losslens_dask import collect_target_losses_streaming, loss_summary

from . import study
from .support import cluster, duck, relation, tempdir, worker_pids

N = 2000


def submit_all(client, n, delay=0.0):
    futures = []
    for i in range(n):
        for t, name in enumerate(study.TARGETS):
            f = client.submit(study.aggregate, i, t, delay, key=f"agg-{i}-{t}")
            futures.append((study.param_id(i), name, f))
    return futures


class StoreChecks:
    def assert_store_matches(self, store, n):
        exp = study.expected(n)
        rel = relation(store)
        [c] = duck(f"""SELECT count(*)::INT AS rows, count(DISTINCT (param_id, target))::INT AS pairs,
            (count(*) FILTER (WHERE status = 'failed'))::INT AS failed,
            sum(loss) FILTER (WHERE status = 'ok') AS loss_sum FROM {rel}""")
        self.assertEqual(c["rows"], len(exp))
        self.assertEqual(c["pairs"], len(exp))
        failures = {k: v[1] for k, v in exp.items() if v[1]}
        self.assertGreater(len(failures), 0.01 * len(exp))
        self.assertLess(len(failures), 0.04 * len(exp))
        self.assertEqual(c["failed"], len(failures))
        self.assertAlmostEqual(c["loss_sum"], sum(v[0] for v in exp.values() if v[0] is not None), places=3)
        got = duck(f"SELECT param_id, target, error_type, error_message FROM {rel} WHERE status = 'failed'")
        self.assertEqual({(r["param_id"], r["target"]): (r["error_type"], r["error_message"]) for r in got}, failures)
        [d] = duck(f"""SELECT diagnostics_truncated AS t, diagnostics AS text
            FROM {rel} WHERE param_id = '{study.param_id(1)}' AND target = 'incidence_mean_signal_target'""")
        full = json.dumps(study.aggregate(1, 0).diagnostics, separators=(",", ":"), ensure_ascii=False)
        cut = len(d["text"].encode())
        self.assertTrue(d["t"])
        self.assertTrue(full.startswith(d["text"]))
        self.assertTrue(64 * 1024 - 4 < cut <= 64 * 1024, cut)


class ClusterTest(unittest.TestCase):
    """One real LocalCluster (2 worker processes) per test class."""

    @classmethod
    def setUpClass(cls):
        cls.cluster, cls.client = cluster()

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.cluster.close()


class StreamingTest(ClusterTest, StoreChecks):

    def setUp(self):
        self.client.wait_for_workers(2)

    def test_2000_param_sets_3_targets_bounded_batches(self):
        out = tempdir(self, "stream") / "store"
        futures = submit_all(self.client, N)
        study.reset_live()
        stats = {}
        started = time.monotonic()
        path = collect_target_losses_streaming(self.client, "job-dask", futures, batch_size=50, output_path=out, stats=stats)
        elapsed = time.monotonic() - started
        self.assertEqual(path, out)
        self.assertEqual(stats["records"], N * 3)
        # Results alive on the client at any moment, counted as they are unpickled and freed.
        self.assertLessEqual(study.MAX_LIVE, 50)
        self.assertGreater(study.MAX_LIVE, 0)
        self.assertLessEqual(stats["max_held"], 50)
        self.assertGreater(stats["batches"], N * 3 / 50 - 1)
        # One gather per full batch, or per 0.25 s of trickling results: not one per record.
        self.assertLessEqual(stats["batches"], N * 3 / 50 + elapsed / 0.25 + 1)
        self.assert_store_matches(out, N)
        m = duck(f"SELECT DISTINCT job_id FROM {relation(out)}")
        self.assertEqual(m, [{"job_id": "job-dask"}])

        summary = loss_summary(out, out.parent / "loss_summary.csv")
        rows = duck(f"""SELECT s.param_id, s.mean_loss, s.std_loss, s.n_ok::INT AS n_ok, d.m FROM read_csv('{summary}') s
            JOIN (SELECT param_id, avg(loss) AS m FROM {relation(out)}
                  WHERE status = 'ok' GROUP BY param_id) d USING (param_id)""")
        self.assertGreater(len(rows), N - 5)
        import statistics

        exp = study.expected(N)
        for r in rows[:200]:
            losses = [v[0] for (p, _), v in exp.items() if p == r["param_id"] and v[0] is not None]
            self.assertAlmostEqual(r["mean_loss"], statistics.mean(losses), places=6)
            self.assertAlmostEqual(r["mean_loss"], r["m"], places=9)
            if len(losses) > 1:
                self.assertAlmostEqual(r["std_loss"], statistics.stdev(losses), places=6)
            self.assertEqual(r["n_ok"], len(losses))

    def test_a_worker_killed_mid_job_still_yields_each_pair_once(self):
        out = tempdir(self, "stream-kill") / "store"
        futures = submit_all(self.client, N, delay=0.002)
        pids = list(worker_pids(self.client).values())
        killed_at = {}

        def kill_when_a_quarter_done():
            while sum(f.done() for _, _, f in futures) < N * 3 // 4:
                threading.Event().wait(0.05)
            killed_at["done"] = sum(f.done() for _, _, f in futures)
            os.kill(pids[0], signal.SIGKILL)

        killer = threading.Thread(target=kill_when_a_quarter_done, daemon=True)
        killer.start()
        collect_target_losses_streaming(self.client, "job-dask", futures, batch_size=100, output_path=out)
        killer.join(timeout=5)
        self.assertLess(killed_at["done"], N * 3)
        self.assertNotIn(pids[0], worker_pids(self.client).values())
        self.assert_store_matches(out, N)


class InterruptedTest(ClusterTest):
    """A job runner that fails mid-collection must not leave a store that says `complete`: the
    collector is told (SIGINT), keeps what it committed and marks the store interrupted."""

    def test_a_runner_that_raises_mid_collection_leaves_the_store_marked_interrupted(self):
        out = tempdir(self, "interrupted") / "store"

        def failing():
            yield from submit_all(self.client, 300)
            raise RuntimeError("the job runner crashed")

        with self.assertRaisesRegex(RuntimeError, "the job runner crashed"):
            collect_target_losses_streaming(self.client, "interrupted", failing(), batch_size=50,
                                            output_path=out, flush_seconds=0.2)
        manifest = json.loads((out / "store.json").read_text())
        self.assertNotEqual(manifest["status"], "complete")
        self.assertIn("interrupted", json.dumps(manifest["writers"]))
        self.assertLessEqual(manifest["counts"]["rows"], 900)

    def test_a_runner_killed_mid_collection_leaves_the_store_marked_interrupted(self):
        out = tempdir(self, "killed") / "store"
        script = f"""
import os, signal, sys
sys.path[:0] = {sys.path!r}
from distributed import Client
from losslens_dask import collect_target_losses_streaming
from tests import study
client = Client({self.cluster.scheduler_address!r})
def pairs():
    for i in range(500):
        for t, name in enumerate(study.TARGETS):
            if i == 400:
                os.kill(os.getpid(), signal.SIGKILL)  # no except, no finally: the runner is gone
            yield study.param_id(i), name, client.submit(study.aggregate, i, t, 0.0, key=f"kill-{{i}}-{{t}}")
collect_target_losses_streaming(client, "killed", pairs(), batch_size=50, output_path={str(out)!r}, flush_seconds=0.2)
"""
        proc = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[1], timeout=120)
        self.assertEqual(proc.returncode, -signal.SIGKILL)
        store = out / "store.json"
        for _ in range(100):  # the orphaned collector commits what arrived, then marks the store
            manifest = json.loads(store.read_text()) if store.exists() else {}
            if manifest.get("status") not in (None, "collecting"):
                break
            time.sleep(0.1)
        self.assertEqual(manifest["status"], "failed")
        self.assertIn("interrupted by the exit of its parent process", json.dumps(manifest["writers"]))


class RetentionTest(ClusterTest):
    """Client memory flat in the number of aggregations: once a record is handed to the collector,
    nothing of its aggregation (future, state, exception) may stay alive on the client."""

    def setUp(self):
        self.client.wait_for_workers(2)

    def test_no_future_outlives_its_record_when_the_caller_keeps_none(self):
        out = tempdir(self, "retain") / "store"
        refs = []

        def pairs():  # the collection holds the only references to these futures
            for i in range(400):
                for t, name in enumerate(study.TARGETS):
                    f = self.client.submit(study.aggregate, i, t, 0.0, key=f"retain-{i}-{t}")
                    refs.append(weakref.ref(f))
                    yield study.param_id(i), name, f

        stats = {}
        collect_target_losses_streaming(self.client, "retain", pairs(), batch_size=50, output_path=out, stats=stats)
        self.assertEqual(stats["records"], 1200)
        self.assertGreater(stats["failed"], 5)
        gc.collect()
        alive = [r().key for r in refs if r() is not None]
        self.assertEqual(alive[:5], [], f"{len(alive)} futures still alive after collection")
        for _ in range(50):  # a released future's key leaves client.futures on the client's loop
            tracked = [k for k in list(self.client.futures) if k.startswith("retain-")]
            if not tracked:
                break
            time.sleep(0.1)
        self.assertEqual(tracked[:5], [], f"{len(tracked)} keys still tracked by the client")


if __name__ == "__main__":
    unittest.main()
