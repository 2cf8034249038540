"""
### caudal_maintenance

Hourly: for each QoE table (`qoe_sessions`, `qoe_minute`), the maintenance job rewrites every
closed hour partition that has more than one file into one file (swapped in by renames) and
drops the days past retention. Variables `caudal_compact_older_than_hours` (default 2) and
`caudal_retention_days` (default 90). The run acts as of its data interval's end, so a re-run
of the same interval does the same (and finds nothing left to do).
"""
from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow import DAG

from caudal_dags import settings
from caudal_dags.spark import CaudalSparkSubmitOperator

TABLES = ("qoe_sessions", "qoe_minute")

with DAG(
    dag_id="caudal_maintenance",
    schedule="15 * * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    # Two runs on one table at once would race for its partitions.
    max_active_runs=1,
    default_args=settings.DEFAULT_ARGS,
    tags=["caudal", "maintenance"],
    doc_md=__doc__,
) as dag:
    for table in TABLES:
        CaudalSparkSubmitOperator(
            task_id=f"maintain_{table}",
            conn_id=settings.SPARK_CONNECTION,
            application=settings.jar("maintenance"),
            java_class="io.caudal.maintenance.MaintenanceJob",
            application_args=[
                "--root", settings.ROOT,
                "--table", table,
                "--compact-older-than-hours",
                settings.variable_or(settings.COMPACT_AFTER_HOURS_VARIABLE, settings.DEFAULT_COMPACT_AFTER_HOURS),
                "--retention-days",
                settings.variable_or(settings.RETENTION_DAYS_VARIABLE, settings.DEFAULT_RETENTION_DAYS),
                "--now", "{{ data_interval_end.isoformat() }}",
            ],
            conf=settings.SPARK_CONF,
            name=f"caudal-maintenance-{table}",
            max_active_tis_per_dag=1,
            execution_timeout=timedelta(minutes=45),
        )
