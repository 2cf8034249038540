"""``airflow dags test caudal_maintenance`` on local Spark: closed hours compacted, old days
dropped, open hours untouched, nothing lost."""
from __future__ import annotations

from pathlib import Path

from pyspark.sql.types import LongType, StringType, StructField, StructType

from conftest import dag_test
from fixtures import write_history

MINUTES = StructType([StructField("minute", LongType(), False), StructField("dimension", StringType(), False),
                      StructField("key", StringType(), False), StructField("attempts", LongType(), False)])


def data_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith((".", "_")))


def write_hour(spark, table: Path, date: str, hour: str, files: int) -> None:
    """``files`` separate appends into one partition: the small files a streaming writer leaves."""
    for f in range(files):
        rows = [(f * 60_000 + r, "server", f"s{r}", r) for r in range(3)]
        (spark.createDataFrame(rows, MINUTES).coalesce(1).write.mode("append")
         .parquet(str(table / f"date={date}" / f"hour={hour}")))


def test_an_hourly_run_compacts_closed_hours_and_drops_expired_days(spark, tmp_path):
    root = tmp_path / "root"
    sessions = write_history(spark, root, users=10, titles=8)
    minute = root / "tables" / "qoe_minute"
    write_hour(spark, minute, "2026-03-10", "08", 4)   # closed two hours before the run: compacted
    write_hour(spark, minute, "2026-03-10", "12", 3)   # still being written: left alone
    write_hour(spark, minute, "2025-11-01", "00", 2)   # past 90 days: dropped
    before = spark.read.parquet(str(minute)).where("date != '2025-11-01'").count()

    states = dag_test("caudal_maintenance", "2026-03-10T13:20:00+00:00", root)

    assert states == {"__run__": "success", "maintain_qoe_sessions": "success", "maintain_qoe_minute": "success"}
    assert len(data_files(minute / "date=2026-03-10" / "hour=08")) == 1
    assert len(data_files(minute / "date=2026-03-10" / "hour=12")) == 3
    assert not (minute / "date=2025-11-01").exists()
    assert spark.read.parquet(str(minute)).count() == before
    assert spark.read.parquet(str(root / "tables" / "qoe_sessions")).count() == sessions
