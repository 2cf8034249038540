"""SparkSubmitOperator that keeps what a Caudal job said: its last JSON line becomes the task's
return value (XCom), and on failure its ``caudal-<job>: reason`` line is pushed as XCom
``failure`` before the error is raised, for the tasks that report it."""
from __future__ import annotations

import json
from collections import deque
from typing import Any, Iterator

from airflow.exceptions import AirflowException
from airflow.providers.apache.spark.hooks.spark_submit import SparkSubmitHook
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

FAILURE_KEY = "failure"
#: Caudal's jobs print a failure as one line starting with this.
JOB_MESSAGE_PREFIX = "caudal-"


def _tee(itr: Iterator[Any], tail: deque) -> Iterator[Any]:
    for line in itr:
        tail.append(line.rstrip("\n"))
        yield line


def job_result(lines: list[str]) -> Any | None:
    """The last line that is a JSON object, or None."""
    for line in reversed(lines):
        text = line.strip()
        if text.startswith("{") and text.endswith("}"):
            try:
                return json.loads(text)
            except json.JSONDecodeError:
                continue
    return None


def failure_reason(lines: list[str], error: str) -> str:
    """The job's own messages when it printed any, else the last lines of its output."""
    said = [line.strip() for line in lines if line.strip().startswith(JOB_MESSAGE_PREFIX)]
    if said:
        return "\n".join(said)
    return error + "\n" + "\n".join(lines[-10:])


class CaudalSparkSubmitOperator(SparkSubmitOperator):
    def _get_hook(self) -> SparkSubmitHook:
        hook = super()._get_hook()
        # Keep the last lines of spark-submit's output while the hook logs them as usual.
        tail = self._tail = deque(maxlen=200)
        log_output = hook._process_spark_submit_log
        hook._process_spark_submit_log = lambda itr: log_output(_tee(itr, tail))
        return hook

    def execute(self, context: Any) -> Any:
        self._hook = None  # a fresh hook per try, so the output kept is this try's
        self._tail: deque[str] = deque()
        try:
            super().execute(context)
        except AirflowException as e:
            context["ti"].xcom_push(key=FAILURE_KEY, value=failure_reason(list(self._tail), str(e)))
            raise
        return job_result(list(self._tail))
