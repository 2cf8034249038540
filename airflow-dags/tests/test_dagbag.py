"""The DAG files import cleanly into a real DagBag and have the intended shape."""
from __future__ import annotations

import re

import pytest
from airflow.models import DagBag

from conftest import airflow


@pytest.fixture(scope="module")
def dagbag() -> DagBag:
    return DagBag(include_examples=False)


def edges(dag) -> set[tuple[str, str]]:
    return {(t.task_id, d) for t in dag.tasks for d in t.downstream_task_ids}


def test_every_dag_file_imports_without_error(dagbag):
    assert dagbag.import_errors == {}
    assert sorted(dagbag.dag_ids) == ["caudal_maintenance", "caudal_recommend", "caudal_transcode"]


def test_recommend_trains_then_gates_then_publishes(dagbag):
    dag = dagbag.get_dag("caudal_recommend")
    assert edges(dag) == {("check_history", "train_and_evaluate"), ("train_and_evaluate", "publish_gate"),
                          ("publish_gate", "publish")}
    assert dag.get_task("publish_gate").__class__.__name__ == "_ShortCircuitDecoratedOperator"
    assert dag.get_task("train_and_evaluate")._java_class == "io.caudal.recommend.RecommendJob"
    assert dag.get_task("publish")._java_class == "io.caudal.recommend.PublishStaged"
    assert dag.schedule_interval == "0 2 * * *"


def test_transcode_maps_a_task_group_over_the_uploads(dagbag):
    dag = dagbag.get_dag("caudal_transcode")
    assert edges(dag) == {
        ("find_uploads", "transcode_upload.job_arguments"), ("find_uploads", "transcode_upload.file_away"),
        ("transcode_upload.job_arguments", "transcode_upload.transcode"),
        ("transcode_upload.transcode", "transcode_upload.file_away")}
    assert dag.get_task("transcode_upload.file_away").trigger_rule == "all_done"
    assert dag.get_task("transcode_upload.transcode")._java_class == "io.caudal.transcode.TranscodeJob"
    assert dag.max_active_runs == 1


def test_maintenance_looks_after_both_qoe_tables_in_parallel(dagbag):
    dag = dagbag.get_dag("caudal_maintenance")
    assert sorted(t.task_id for t in dag.tasks) == ["maintain_qoe_minute", "maintain_qoe_sessions"]
    assert edges(dag) == set()


def test_every_task_retries_and_has_a_timeout(dagbag):
    for dag in dagbag.dags.values():
        for task in dag.tasks:
            assert task.retries >= 1, f"{dag.dag_id}.{task.task_id}"
            assert task.execution_timeout is not None, f"{dag.dag_id}.{task.task_id}"


def test_every_spark_task_uses_the_caudal_spark_connection(dagbag):
    spark_tasks = [t for d in dagbag.dags.values() for t in d.tasks if hasattr(t, "_conn_id")]
    assert len(spark_tasks) == 5
    assert {t._conn_id for t in spark_tasks} == {"caudal_spark"}


def test_paths_come_from_variables_when_rendered():
    output = airflow("tasks", "render", "caudal_maintenance", "maintain_qoe_minute", "2026-03-02T05:15:00+00:00").stdout
    rendered = " ".join(output.split())  # lists are pretty-printed over several lines
    from airflow.models import Variable

    root = Variable.get("caudal_root")
    jars = Variable.get("caudal_jars")
    assert f"{jars}/caudal-maintenance.jar" in rendered
    assert f"'--root', '{root}', '--table', 'qoe_minute', '--compact-older-than-hours', '2', '--retention-days', '90'" in rendered
    # The run acts as of its data interval's end, in the ISO form the job parses.
    assert re.search(r"'--now', '2026-03-02T0[56]:15:00\+00:00'", rendered), rendered
