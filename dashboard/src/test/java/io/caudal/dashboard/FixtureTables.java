package io.caudal.dashboard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Writes small QoE tables as the other jobs do (Hive-partitioned Parquet), with a separate,
 * unlocked DuckDB. The numbers are planted so the tests know the right answers:
 *
 * <p>qoe_minute: {@value #MINUTES} minutes ending a few minutes before now. Per minute, region
 * eu-west has 100 attempts, 90 plays, VSF 2 %, EBVS 5 %, startup p50 800 / p95 2000 ms,
 * rebuffering 0.01, 4000 kbit/s, 2 errors, 300 concurrent sessions; region us-east has 50, 40, 8 %,
 * 10 %, 1200 / 3000 ms, 0.05, 2500 kbit/s, 5 errors, 100 sessions. Servers srv-1..3 have
 * rebuffering 0.01, 0.02, 0.09 (srv-3 is the worst). Other dimensions carry the same fleet.
 */
final class FixtureTables {

  static final int MINUTES = 10;
  static final long EXPECTED_ATTEMPTS = 150L * MINUTES;
  static final long EXPECTED_PLAYS = 130L * MINUTES;
  static final double EXPECTED_VSF_PCT = (2.0 * 100 + 8.0 * 50) / 150;
  static final double EXPECTED_EBVS_PCT = (5.0 * 100 + 10.0 * 50) / 150;
  static final double EXPECTED_STARTUP_P50_MS = (800.0 * 90 + 1200.0 * 40) / 130;
  static final double EXPECTED_REBUFFERING = (0.01 * 300 + 0.05 * 100) / 400;
  static final double EXPECTED_BITRATE_KBPS = (4000.0 * 300 + 2500.0 * 100) / 400;
  static final long EXPECTED_ERRORS = 7L * MINUTES;

  private FixtureTables() {}

  /** The first fixture minute, epoch ms: {@value #MINUTES} + 2 minutes before now, whole. */
  static long firstMinute(long nowMs) {
    return (nowMs / 60_000 - MINUTES - 2) * 60_000;
  }

  /** Writes qoe_minute, qoe_sessions, catalog and recommendations under {@code root/tables}. */
  static void writeAll(Path root, long nowMs) throws Exception {
    Path tables = root.resolve("tables");
    Files.createDirectories(tables.resolve("catalog"));
    Files.createDirectories(tables.resolve("recommendations"));
    long first = firstMinute(nowMs);
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duck.createStatement()) {
      sql.execute(
          """
          CREATE TABLE slices AS SELECT * FROM (VALUES
            ('region', 'eu-west', 100, 90, 2.0, 5.0, 800, 2000, 0.01, 4000.0, 2, 300),
            ('region', 'us-east',  50, 40, 8.0, 10.0, 1200, 3000, 0.05, 2500.0, 5, 100),
            ('server', 'srv-1',    60, 52, 1.0, 4.0, 700, 1800, 0.01, 4200.0, 1, 160),
            ('server', 'srv-2',    60, 52, 3.0, 6.0, 900, 2200, 0.02, 3600.0, 2, 160),
            ('server', 'srv-3',    30, 26, 9.0, 11.0, 1400, 3500, 0.09, 2000.0, 4, 80),
            ('isp', 'isp-a',       90, 80, 2.0, 5.0, 850, 2100, 0.015, 3900.0, 3, 250),
            ('isp', 'isp-b',       60, 50, 7.0, 9.0, 1100, 2900, 0.04, 2800.0, 4, 150),
            ('device', 'tv',      100, 90, 3.0, 6.0, 900, 2300, 0.02, 4100.0, 3, 280),
            ('device', 'phone',    50, 40, 5.0, 8.0, 1000, 2600, 0.03, 2400.0, 4, 120),
            ('title', 't-1',      120, 105, 4.0, 6.0, 920, 2400, 0.02, 3700.0, 5, 320),
            ('title', 't-2',       30, 25, 4.0, 8.0, 950, 2500, 0.03, 3300.0, 2, 80)
          ) AS s(dimension, key, attempts, plays, vsfPct, ebvsPct, p50, p95, rebuf, kbps, errors, concurrent)
          """);
      sql.execute(
          ("""
          COPY (
            SELECT m.minute::BIGINT AS minute, s.dimension, s.key, s.attempts::BIGINT AS attempts,
                   s.plays::BIGINT AS plays, s.vsfPct::DOUBLE AS vsfPct, s.ebvsPct::DOUBLE AS ebvsPct,
                   s.p50::BIGINT AS startupP50Ms, s.p95::BIGINT AS startupP95Ms,
                   s.rebuf::DOUBLE AS rebufferingRatio, s.kbps::DOUBLE AS avgBitrateKbps,
                   s.errors::BIGINT AS errors, 0.001::DOUBLE AS lossFraction, 3.5::DOUBLE AS jitterMs,
                   s.concurrent::BIGINT AS concurrentSessions,
                   strftime(to_timestamp(m.minute / 1000), '%%Y-%%m-%%d') AS date,
                   strftime(to_timestamp(m.minute / 1000), '%%H') AS hour
            FROM (SELECT %d + i * 60000 AS minute FROM range(%d) r(i)) m, slices s
          ) TO '%s' (FORMAT parquet, PARTITION_BY (date, hour), OVERWRITE_OR_IGNORE true)
          """).formatted(first, MINUTES, tables.resolve("qoe_minute")));
      sql.execute(
          ("""
          COPY (
            SELECT sessionId, userId, titleId, serverId, region, isp, device,
                   (%d + i * 1000)::BIGINT AS startTime, (%d + i * 1000 + 600000)::BIGINT AS endTime,
                   startup::BIGINT AS startupTimeMs, vsf AS videoStartFailure, false AS exitBeforeVideoStart,
                   false AS playbackFailure, 1 AS stallCount, 1500::BIGINT AS stalledMs, 598500::BIGINT AS playingMs,
                   0.0025::DOUBLE AS rebufferingRatio, 3800.0::DOUBLE AS avgBitrateKbps, 2 AS bitrateSwitches,
                   0.9::DOUBLE AS completion, NULL::DOUBLE AS lossFraction, NULL::DOUBLE AS jitterMs,
                   NULL::DOUBLE AS rttMs, 'ENDED' AS endReason,
                   strftime(to_timestamp(%d / 1000), '%%Y-%%m-%%d') AS date,
                   strftime(to_timestamp(%d / 1000), '%%H') AS hour
            FROM (VALUES (0, 'sess-aaa', 'user-1', 't-1', 'srv-1', 'eu-west', 'isp-a', 'tv', 850, false),
                         (1, 'sess-bbb', 'user-1', 't-2', 'srv-3', 'us-east', 'isp-b', 'phone', 1900, false),
                         (2, 'sess-ccc', 'user-2', 't-1', 'srv-2', 'eu-west', 'isp-a', 'tv', NULL, true))
                 AS v(i, sessionId, userId, titleId, serverId, region, isp, device, startup, vsf)
          ) TO '%s' (FORMAT parquet, PARTITION_BY (date, hour), OVERWRITE_OR_IGNORE true)
          """).formatted(first, first, first, first, tables.resolve("qoe_sessions")));
      sql.execute(
          ("""
          COPY (SELECT 't-1' AS titleId, 'Caudal sample' AS name, 'demo' AS category, 20000::BIGINT AS durationMs,
                       1280 AS width, 720 AS height, true AS hasVideo, true AS hasAudio,
                       [{'rungId': '720p', 'width': 1280, 'height': 720, 'codecs': 'avc1.64001f',
                         'targetKbps': 3000, 'averageKbps': 2900, 'peakKbps': 3400, 'bytes': 7250000::BIGINT}] AS ladder,
                       160000::BIGINT AS audioBytes, 4000::BIGINT AS segmentDurationMs,
                       'file:///incoming/sample.mp4' AS sourceUri, %d::BIGINT AS createdAt,
                       0::BIGINT AS ratingCount, NULL::DOUBLE AS ratingAverage)
          TO '%s' (FORMAT parquet)
          """).formatted(first, tables.resolve("catalog").resolve("t-1.parquet")));
      sql.execute(
          ("""
          COPY (SELECT * FROM (VALUES ('user-1', 1, 't-2', 0.9, 'als-1'), ('user-1', 2, 't-1', 0.4, 'als-1'))
                AS r(userId, rank, titleId, score, modelVersion))
          TO '%s' (FORMAT parquet)
          """).formatted(tables.resolve("recommendations").resolve("part-0.parquet")));
    }
  }

  /** A users file with one operator, for the servers under test. */
  static Users oneUser(String name, String password) {
    return Users.of(java.util.Map.of(name, Users.hash(password.toCharArray())));
  }

}
