"""Client-side streaming from a real LocalCluster (2 worker processes) into a store, checked
against native DuckDB over the store's shards and against the study's own expected records."""

import json
import os
import signal
import threading
import unittest

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


class StreamingTest(unittest.TestCase, StoreChecks):
    @classmethod
    def setUpClass(cls):
        cls.cluster, cls.client = cluster()

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.cluster.close()

    def setUp(self):
        self.client.wait_for_workers(2)

    def test_2000_param_sets_3_targets_bounded_batches(self):
        out = tempdir(self, "stream") / "store"
        futures = submit_all(self.client, N)
        study.reset_live()
        stats = {}
        path = collect_target_losses_streaming(self.client, "job-dask", futures, batch_size=50, output_path=out, stats=stats)
        self.assertEqual(path, out)
        self.assertEqual(stats["records"], N * 3)
        # Results alive on the client at any moment, counted as they are unpickled and freed.
        self.assertLessEqual(study.MAX_LIVE, 50)
        self.assertGreater(study.MAX_LIVE, 0)
        self.assertLessEqual(stats["max_held"], 50)
        self.assertGreater(stats["batches"], N * 3 / 50 - 1)
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


if __name__ == "__main__":
    unittest.main()
