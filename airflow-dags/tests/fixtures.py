"""Fixture tables written with PySpark in the layout qoe-stream and edge write them."""
from __future__ import annotations

import random
from datetime import datetime, timezone
from pathlib import Path

from pyspark.sql.types import (BooleanType, DoubleType, IntegerType, LongType, StringType, StructField,
                               StructType)

SESSIONS = StructType([
    StructField("sessionId", StringType(), False), StructField("userId", StringType(), False),
    StructField("titleId", StringType(), False), StructField("serverId", StringType(), False),
    StructField("region", StringType(), False), StructField("isp", StringType(), False),
    StructField("device", StringType(), False), StructField("startTime", LongType(), False),
    StructField("endTime", LongType(), False), StructField("startupTimeMs", LongType(), True),
    StructField("videoStartFailure", BooleanType(), False), StructField("exitBeforeVideoStart", BooleanType(), False),
    StructField("playbackFailure", BooleanType(), False), StructField("stallCount", IntegerType(), False),
    StructField("stalledMs", LongType(), False), StructField("playingMs", LongType(), False),
    StructField("rebufferingRatio", DoubleType(), True), StructField("avgBitrateKbps", DoubleType(), True),
    StructField("bitrateSwitches", IntegerType(), False), StructField("completion", DoubleType(), False),
    StructField("lossFraction", DoubleType(), True), StructField("jitterMs", DoubleType(), True),
    StructField("rttMs", DoubleType(), True), StructField("endReason", StringType(), False),
])

RATINGS = StructType([
    StructField("userId", StringType(), False), StructField("titleId", StringType(), False),
    StructField("stars", IntegerType(), False), StructField("ratedAt", LongType(), False),
])

START = int(datetime(2026, 2, 1, tzinfo=timezone.utc).timestamp() * 1000)


def write_history(spark, root: Path, users: int = 120, titles: int = 60, tastes: int = 4, seed: int = 7) -> int:
    """Viewing history with planted tastes (a user mostly watches, and finishes, titles of
    their taste), written hour-partitioned under tables/qoe_sessions; a few star ratings.
    Returns the number of sessions."""
    rnd = random.Random(seed)
    rows, ratings = [], []
    for u in range(users):
        for n in range(rnd.randint(15, 30)):
            own = rnd.random() < 0.8
            t = rnd.randrange(titles // tastes) * tastes + u % tastes if own else rnd.randrange(titles)
            t = min(t, titles - 1)
            end = START + rnd.randrange(20 * 24) * 3_600_000 + rnd.randrange(3_600_000)
            completion = rnd.uniform(0.6, 1.0) if t % tastes == u % tastes else rnd.uniform(0.02, 0.3)
            playing = int(completion * 40 * 60_000)
            rows.append((f"s{u}-{n}", f"u{u}", f"t{t}", "srv1", "eu" if u % 2 else "us", "isp", "tv",
                         end - playing - 1000, end, 800, False, False, False, 0, 0, playing, 0.0, 3000.0, 1,
                         completion, None, None, None, "ENDED"))
            if n % 5 == 0:
                ratings.append((f"u{u}", f"t{t}", 5 if t % tastes == u % tastes else 2, end))
    frame = spark.createDataFrame(rows, SESSIONS)
    frame = frame.selectExpr("*", "date_format(timestamp_millis(endTime), 'yyyy-MM-dd') AS date",
                             "date_format(timestamp_millis(endTime), 'HH') AS hour")
    frame.coalesce(1).write.partitionBy("date", "hour").parquet(str(root / "tables" / "qoe_sessions"))
    spark.createDataFrame(ratings, RATINGS).coalesce(1).write.parquet(str(root / "tables" / "ratings"))
    return len(rows)
