"""Where every DAG finds its environment: Airflow Variables and Connections, never code.

Values are read through Jinja templates (rendered when a task runs), so parsing a DAG file
never touches the metadata database.
"""
from __future__ import annotations

import os
from datetime import timedelta

#: Spark connection: host is the master (``local[2]``, ``spark://host:7077``, ``yarn``);
#: extra may set ``deploy-mode``.
SPARK_CONNECTION = "caudal_spark"

#: The Caudal root URI (``file:///data/caudal``, ``hdfs://namenode:8020/caudal``).
ROOT_VARIABLE = "caudal_root"
#: Folder holding the shaded jars ``caudal-transcode.jar``, ``caudal-recommend.jar``,
#: ``caudal-maintenance.jar`` (a local path or a URI spark-submit can fetch).
JARS_VARIABLE = "caudal_jars"
#: How far (a fraction, 0.05 = 5 %) a new model's metrics may fall below the published one's.
TOLERANCE_VARIABLE = "caudal_recommend_tolerance"
DEFAULT_TOLERANCE = 0.05
#: Spark driver memory for the jobs (the recommend job scores on the driver).
DRIVER_MEMORY_VARIABLE = "caudal_driver_memory"
DEFAULT_DRIVER_MEMORY = "2g"
#: Table maintenance: hours after which an hour partition is closed, and days kept.
COMPACT_AFTER_HOURS_VARIABLE = "caudal_compact_older_than_hours"
DEFAULT_COMPACT_AFTER_HOURS = 2
RETENTION_DAYS_VARIABLE = "caudal_retention_days"
DEFAULT_RETENTION_DAYS = 90

ROOT = "{{ var.value.%s }}" % ROOT_VARIABLE
# spark-submit's driver memory is not a templated argument; its --conf is.
SPARK_CONF = {"spark.driver.memory": "{{ var.value.get('%s', '%s') }}" % (DRIVER_MEMORY_VARIABLE, DEFAULT_DRIVER_MEMORY)}


def jar(job: str) -> str:
    """The templated location of a job's shaded jar, e.g. ``jar("recommend")``."""
    return "{{ var.value.%s }}/caudal-%s.jar" % (JARS_VARIABLE, job)


def variable_or(name: str, default: object) -> str:
    """A templated Variable with a default, for operator arguments."""
    return "{{ var.value.get('%s', '%s') }}" % (name, default)


#: Every task: retried with backoff (the jobs are safe to re-run), and never left hanging.
DEFAULT_ARGS = {
    "owner": "caudal",
    "depends_on_past": False,
    "retries": 2,
    # The first retry's delay; CAUDAL_RETRY_DELAY_SECONDS shortens it where waiting buys nothing (tests).
    "retry_delay": timedelta(seconds=int(os.environ.get("CAUDAL_RETRY_DELAY_SECONDS", "120"))),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=30),
    "execution_timeout": timedelta(hours=1),
}
