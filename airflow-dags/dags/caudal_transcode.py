"""
### caudal_transcode

Every 10 minutes: finds new uploads under `<root>/incoming/` (a mezzanine file plus its
`<file>.json` sidecar with `name` and `category`), runs the transcode job on each with
`spark-submit`, and files each upload under `<root>/done/<run>/` or `<root>/failed/<run>/`
with `<file>.reason.txt`. A sidecar that is not valid sends its upload to `failed/` without a
transcode. The transcode job is idempotent (a title is named by its content's hash), so a
retried or repeated file publishes nothing twice.
"""
from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow import DAG
from airflow.decorators import task, task_group
from airflow.models import Variable
from airflow.utils.state import TaskInstanceState
from airflow.utils.trigger_rule import TriggerRule

from caudal_dags import incoming, settings
from caudal_dags.spark import FAILURE_KEY, CaudalSparkSubmitOperator

TRANSCODE_TASK = "transcode_upload.transcode"

with DAG(
    dag_id="caudal_transcode",
    schedule=timedelta(minutes=10),
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    # One run at a time: two runs must never pick up the same upload.
    max_active_runs=1,
    default_args=settings.DEFAULT_ARGS,
    tags=["caudal", "transcode"],
    doc_md=__doc__,
) as dag:

    @task
    def find_uploads(ts_nodash: str | None = None) -> list[dict]:
        root = Variable.get(settings.ROOT_VARIABLE)
        uploads, rejected = incoming.find(root)
        for bad in rejected:
            where = incoming.file_away(root, bad.file, ts_nodash, bad.reason)
            print(f"refused {bad.file}: {bad.reason} (moved to {where})")
        print(f"{len(uploads)} upload(s) to transcode: {[u.file for u in uploads]}")
        return [u.as_dict() for u in uploads]

    @task
    def job_arguments(upload: dict) -> list[str]:
        root = Variable.get(settings.ROOT_VARIABLE)
        return ["--input", incoming.source_uri(root, upload["file"]), "--name", upload["name"],
                "--category", upload["category"], "--root", root]

    @task(trigger_rule=TriggerRule.ALL_DONE, retries=3)
    def file_away(upload: dict, ti=None, dag_run=None, ts_nodash: str | None = None) -> str:
        transcode = dag_run.get_task_instance(TRANSCODE_TASK, map_index=ti.map_index)
        reason = None
        if transcode is None or transcode.state != TaskInstanceState.SUCCESS:
            said = ti.xcom_pull(task_ids=TRANSCODE_TASK, key=FAILURE_KEY, map_indexes=ti.map_index)
            state = transcode.state if transcode is not None else "missing"
            reason = f"transcode {state} after {transcode.try_number if transcode else 0} tries\n{said or ''}"
        root = Variable.get(settings.ROOT_VARIABLE)
        where = incoming.file_away(root, upload["file"], ts_nodash, reason)
        print(f"{upload['file']} → {where}" + (f": {reason}" if reason else ""))
        return where

    @task_group
    def transcode_upload(upload: dict) -> None:
        transcode = CaudalSparkSubmitOperator(
            task_id="transcode",
            conn_id=settings.SPARK_CONNECTION,
            application=settings.jar("transcode"),
            java_class="io.caudal.transcode.TranscodeJob",
            application_args=job_arguments(upload),
            conf=settings.SPARK_CONF,
            name="caudal-transcode",
            # A bad file fails the same way every time: one retry is for a lost worker.
            retries=1,
            execution_timeout=timedelta(hours=3),
        )
        transcode >> file_away(upload)

    transcode_upload.expand(upload=find_uploads())
