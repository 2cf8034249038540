"""``airflow dags test caudal_recommend`` on local Spark: train and stage, gate, publish."""
from __future__ import annotations

import json
from pathlib import Path

from conftest import dag_test
from fixtures import write_history


def live_versions(spark, root: Path) -> set[str]:
    rows = spark.read.parquet(str(root / "tables" / "recommendations")).select("modelVersion").distinct().collect()
    return {r[0] for r in rows}


def test_a_nightly_run_publishes_and_a_worse_model_is_held_back(spark, tmp_path):
    root = tmp_path / "root"
    write_history(spark, root)

    first = dag_test("caudal_recommend", "2026-03-01", root)

    assert first == {"__run__": "success", "check_history": "success", "train_and_evaluate": "success",
                     "publish_gate": "success", "publish": "success"}
    published = json.loads((root / "reports/recommend/published.json").read_text())
    staged = json.loads(next((root / "staging/recommend").glob("20260301T*/evaluation.json")).read_text())
    assert published == staged
    assert published["chosen"]["ndcg_at_10"] > published["popularity"]["ndcg_at_10"]
    assert live_versions(spark, root) == {published["model_version"]}
    assert spark.read.parquet(str(root / "tables" / "recommendations")).count() == 120 * 10

    # The published model now claims perfect scores: tonight's model falls below any tolerance.
    perfect = dict(published, chosen=dict(published["chosen"], ndcg_at_10=1.0, map_at_10=1.0))
    (root / "reports/recommend/published.json").write_text(json.dumps(perfect))

    second = dag_test("caudal_recommend", "2026-03-02", root)

    assert second["__run__"] == "success"
    assert second["train_and_evaluate"] == "success"
    assert second["publish_gate"] == "success"
    assert second["publish"] == "skipped"
    assert live_versions(spark, root) == {published["model_version"]}
    held_back = next((root / "staging/recommend").glob("20260302T*"))
    assert (held_back / "recommendations").is_dir()
    assert json.loads((held_back / "evaluation.json").read_text())["model_version"] != published["model_version"]


def test_a_root_without_viewing_history_fails_at_once_with_the_reason(tmp_path):
    root = tmp_path / "empty-root"
    root.mkdir()

    states = dag_test("caudal_recommend", "2026-03-03", root)

    assert states["__run__"] == "failed"
    assert states["check_history"] == "failed"
    assert states["train_and_evaluate"] == "upstream_failed"
