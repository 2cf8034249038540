"""
### caudal_recommend

Nightly: trains and evaluates the recommendation models on `qoe_sessions` and `ratings`
(`RecommendJob --stage`), which writes the new lists and their evaluation to
`<root>/staging/recommend/<run>/`; a gate compares the chosen model's ranking metrics with the
published model's (`<root>/reports/recommend/published.json`) and lets the new lists go live
only if none falls below by more than the tolerance (Variable `caudal_recommend_tolerance`,
a fraction, default 0.05); `PublishStaged` then swaps them in as `tables/recommendations` by
renames. Every task is safe to re-run: the stage is per run and rewritten whole, and
publishing twice changes nothing.
"""
from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow import DAG
from airflow.decorators import task
from airflow.exceptions import AirflowFailException
from airflow.models import Variable

from caudal_dags import gate, settings, storage
from caudal_dags.spark import CaudalSparkSubmitOperator

STAGE = settings.ROOT + "/staging/recommend/{{ ts_nodash }}"

with DAG(
    dag_id="caudal_recommend",
    schedule="0 2 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=settings.DEFAULT_ARGS,
    tags=["caudal", "recommend"],
    doc_md=__doc__,
) as dag:

    @task
    def check_history() -> str:
        root = Variable.get(settings.ROOT_VARIABLE)
        sessions = storage.join(root, "tables", "qoe_sessions")
        if not storage.exists(sessions):
            # Retrying cannot make the table appear: fail at once with the reason.
            raise AirflowFailException(f"no viewing history at {sessions}: qoe-stream writes it")
        return sessions

    train = CaudalSparkSubmitOperator(
        task_id="train_and_evaluate",
        conn_id=settings.SPARK_CONNECTION,
        application=settings.jar("recommend"),
        java_class="io.caudal.recommend.RecommendJob",
        application_args=["--root", settings.ROOT, "--stage", STAGE],
        conf=settings.SPARK_CONF,
        name="caudal-recommend",
        execution_timeout=timedelta(hours=4),
    )

    @task.short_circuit
    def publish_gate(ts_nodash: str | None = None) -> bool:
        root = Variable.get(settings.ROOT_VARIABLE)
        tolerance = float(Variable.get(settings.TOLERANCE_VARIABLE, default_var=settings.DEFAULT_TOLERANCE))
        staged = storage.read_json(storage.join(root, "staging", "recommend", ts_nodash, "evaluation.json"))
        if staged is None:
            raise AirflowFailException(f"no staged evaluation for run {ts_nodash} under {root}/staging/recommend")
        published = storage.read_json(storage.join(root, "reports", "recommend", "published.json"))
        verdict = gate.judge(staged, published, tolerance)
        print(("publishing " if verdict.publish else "keeping the published model: ")
              + f"{staged.get('model_version')}: {verdict.summary()}")
        return verdict.publish

    publish = CaudalSparkSubmitOperator(
        task_id="publish",
        conn_id=settings.SPARK_CONNECTION,
        application=settings.jar("recommend"),
        java_class="io.caudal.recommend.PublishStaged",
        application_args=["--root", settings.ROOT, "--stage", STAGE],
        name="caudal-recommend-publish",
        execution_timeout=timedelta(minutes=30),
    )

    check_history() >> train >> publish_gate() >> publish
