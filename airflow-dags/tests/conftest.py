"""Shared fixtures: the Airflow CLI of the venv against run-tests' AIRFLOW_HOME, and a local
PySpark session for writing fixture tables."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "dags"))


def _require_run_tests() -> None:
    if "AIRFLOW_HOME" not in os.environ or "CAUDAL_HOME" not in os.environ:
        pytest.exit("run these tests with airflow-dags/run-tests (it prepares Airflow and the jars)", returncode=2)


_require_run_tests()


def airflow(*args: str, root: Path | None = None, timeout: int = 900, check: bool = True) -> subprocess.CompletedProcess:
    """Runs the Airflow CLI; ``root`` overrides Variable caudal_root for this call only."""
    env = dict(os.environ)
    if root is not None:
        env["AIRFLOW_VAR_CAUDAL_ROOT"] = root.as_uri()
    result = subprocess.run(["airflow", *args], env=env, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"airflow {' '.join(args)} exited {result.returncode}:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return result


def dag_test(dag_id: str, logical_date: str, root: Path) -> dict[str, str]:
    """``airflow dags test`` of one logical date; returns every task instance's final state,
    keyed ``task_id`` or ``task_id[map_index]``, plus ``__run__`` for the run's own state."""
    # A failed run exits non-zero: the states below tell what failed.
    run = airflow("dags", "test", dag_id, logical_date, root=root, timeout=1500, check=False)
    from airflow.models import DagRun
    import pendulum

    runs = DagRun.find(dag_id=dag_id, execution_date=pendulum.parse(logical_date))
    assert len(runs) == 1, f"no single run of {dag_id} at {logical_date}: {runs}\n{run.stdout[-3000:]}"
    states = {"__run__": str(runs[0].state)}
    for ti in runs[0].get_task_instances():
        key = ti.task_id if ti.map_index < 0 else f"{ti.task_id}[{ti.map_index}]"
        states[key] = str(ti.state)
    return states


@pytest.fixture(scope="session")
def spark():
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[1]").appName("caudal-airflow-fixtures")
               .config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.driver.host", "127.0.0.1").config("spark.sql.shuffle.partitions", "1")
               .getOrCreate())
    session.sparkContext.setLogLevel("WARN")
    yield session
    session.stop()


@pytest.fixture
def caudal_home() -> Path:
    return Path(os.environ["CAUDAL_HOME"])
