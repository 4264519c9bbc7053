"""Records as the collector reads them: the loss, replicates and capped diagnostics of an
AggregationReturn or dict, never its outputs; failures and non-finite losses as failed records."""

import json
import math
import unittest

from losslens_dask import DIAGNOSTICS_CAP_BYTES, exception_record, result_record

from . import study


class RecordsTest(unittest.TestCase):
    def test_an_aggregation_return_keeps_loss_and_replicates_not_outputs(self):
        r = study.aggregate(5, 0)
        rec = result_record("job", "p5", "targets.incidence:x", r)
        self.assertEqual(rec["loss"], r.loss)
        self.assertEqual(rec["n_replicates"], 3)
        self.assertEqual(rec["diagnostics"]["n_sim_returns"], 3)
        self.assertNotIn("outputs", rec)
        self.assertNotIn("outputs", json.dumps(rec))

    def test_a_dict_result_and_strict_json(self):
        rec = result_record("job", "p", "t", {"loss": 2, "n_replicates": 4.0, "diagnostics": {"w": math.nan, "k": (1, 2)}})
        self.assertEqual((rec["loss"], rec["n_replicates"]), (2.0, 4))
        self.assertEqual(rec["diagnostics"], {"w": None, "k": [1, 2]})

    def test_non_finite_or_missing_loss_is_a_failure(self):
        for loss in (math.nan, math.inf, None, "x"):
            rec = result_record("job", "p", "t", {"loss": loss})
            self.assertIn("error", rec, loss)
            self.assertNotIn("loss", rec)
        self.assertEqual(result_record("job", "p", "t", {"loss": math.inf})["error"]["type"], "NonFiniteLoss")

    def test_exception_type_and_message(self):
        rec = exception_record("job", "p", "t", KeyError("Required output 'incidence' missing"))
        self.assertEqual(rec["error"], {"type": "KeyError", "message": "\"Required output 'incidence' missing\""})

    def test_diagnostics_over_the_cap_are_cut_text_on_a_character_boundary(self):
        rec = result_record("job", "p", "t", {"loss": 1, "diagnostics": {"big": "€" * 30_000}})
        self.assertTrue(rec["diagnostics_truncated"])
        cut = rec["diagnostics"].encode()
        self.assertLessEqual(len(cut), DIAGNOSTICS_CAP_BYTES)
        self.assertGreater(len(cut), DIAGNOSTICS_CAP_BYTES - 3)
        small = result_record("job", "p", "t", {"loss": 1, "diagnostics": {"big": "x" * 60_000}})
        self.assertNotIn("diagnostics_truncated", small)


if __name__ == "__main__":
    unittest.main()
