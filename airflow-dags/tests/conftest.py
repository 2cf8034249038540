"""Shared fixtures: the Airflow CLI of the venv against run-tests' AIRFLOW_HOME, and a local
PySpark session for writing fixture tables."""
from __future__ import annotations

import json
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


def airflow(*args: str, root: Path | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    """Runs the Airflow CLI; ``root`` overrides Variable caudal_root for this call only."""
    env = dict(os.environ)
    if root is not None:
        env["AIRFLOW_VAR_CAUDAL_ROOT"] = root.as_uri()
    result = subprocess.run(["airflow", *args], env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise AssertionError(f"airflow {' '.join(args)} exited {result.returncode}:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return result


def dag_test(dag_id: str, logical_date: str, root: Path) -> dict[str, str]:
    """``airflow dags test`` of one logical date; returns every task instance's final state,
    keyed ``task_id`` or ``task_id[map_index]``, plus ``__run__`` for the run's own state."""
    run = airflow("dags", "test", dag_id, logical_date, root=root, timeout=1500)
    runs = json.loads(airflow("dags", "list-runs", "-d", dag_id, "-o", "json").stdout)
    mine = [r for r in runs if r["execution_date"].startswith(logical_date)]
    assert len(mine) == 1, f"no single run of {dag_id} at {logical_date}: {runs}\n{run.stdout[-3000:]}"
    states = {"__run__": mine[0]["state"]}
    tis = json.loads(airflow("tasks", "states-for-dag-run", dag_id, mine[0]["run_id"], "-o", "json").stdout)
    for ti in tis:
        index = ti.get("map_index", -1)
        key = ti["task_id"] if str(index) in ("-1", "") else f"{ti['task_id']}[{index}]"
        states[key] = ti["state"]
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
