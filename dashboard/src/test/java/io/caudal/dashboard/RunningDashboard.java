package io.caudal.dashboard;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * A dashboard server on a free loopback port over the tables under a root, with what it is built
 * from, as the tests that talk to it over HTTP need it; {@link #close()} stops them in reverse.
 */
final class RunningDashboard implements AutoCloseable {
  final QoeTables tables;
  final ReadOnlySql sql;
  final DashboardServer server;
  final int port;

  private RunningDashboard(QoeTables tables, ReadOnlySql sql, DashboardServer server) {
    this.tables = tables;
    this.sql = sql;
    this.server = server;
    this.port = server.start();
  }

  /**
   * @param threads DuckDB's threads
   * @param sqlTimeoutMs when a SQL query is cancelled
   * @param rowLimit the most rows a SQL answer holds; a CSV download holds ten times as many
   */
  static RunningDashboard start(Path root, int threads, long sqlTimeoutMs, int rowLimit, Users users,
      Optional<SteeringFeed> steering) {
    return start(root, threads, sqlTimeoutMs, users, steering, Clock.systemUTC(), settings(rowLimit));
  }

  /** Settings for a test server on a free loopback port: {@code rowLimit} as above, the default byte limits. */
  static DashboardServer.Settings settings(int rowLimit) {
    return new DashboardServer.Settings("127.0.0.1", 0, rowLimit, rowLimit * 10,
        DashboardOptions.DEFAULT_SQL_BYTE_LIMIT, DashboardOptions.DEFAULT_CSV_BYTE_LIMIT, 3_600_000, false, Optional.empty());
  }

  /** With the Kafka feeds of the caller's (alerts, timeline, steering), rules under {@code root}. */
  static RunningDashboard start(Path root, Users users, Optional<SteeringFeed> steering, Optional<AlertFeed> alerts,
      Optional<SessionTimeline> timeline) {
    QoeTables tables = QoeTables.open(root, "1GB", 2);
    ReadOnlySql sql = new ReadOnlySql(tables, 5_000);
    DashboardServer server = new DashboardServer(settings(1_000), tables, sql, users,
        new DashboardServer.Feeds(steering, alerts, timeline, new AlertRuleStore(root)), Clock.systemUTC(),
        LoginThrottle.Policy.DEFAULT);
    return new RunningDashboard(tables, sql, server);
  }

  /** With settings and a clock of the caller's (the login throttle and sessions read it). */
  static RunningDashboard start(Path root, int threads, long sqlTimeoutMs, Users users,
      Optional<SteeringFeed> steering, Clock clock, DashboardServer.Settings settings) {
    QoeTables tables = QoeTables.open(root, "1GB", threads);
    ReadOnlySql sql = new ReadOnlySql(tables, sqlTimeoutMs);
    DashboardServer server = new DashboardServer(settings, tables, sql, users, steering, clock,
        LoginThrottle.Policy.DEFAULT);
    return new RunningDashboard(tables, sql, server);
  }

  @Override
  public void close() throws Exception {
    server.close();
    sql.close();
    tables.close();
  }
}
