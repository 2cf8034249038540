package io.caudal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The attacks an operator's SQL might try, each refused with a reason; and what does run. */
class ReadOnlySqlTest {

  @TempDir static Path root;
  @TempDir static Path outside;
  static QoeTables tables;
  static ReadOnlySql sql;

  @BeforeAll
  static void open() throws Exception {
    FixtureTables.writeAll(root, System.currentTimeMillis());
    Files.writeString(outside.resolve("secret.csv"), "token\nhunter2\n");
    // Files under tables/ that no view exposes: another table, staged work, a look-alike folder.
    for (String folder : new String[] {"ratings", ".staging/run-1", "catalog-old"}) {
      Files.createDirectories(root.resolve("tables").resolve(folder));
      Files.writeString(root.resolve("tables").resolve(folder).resolve("private.csv"), "userId,secret\nu1,hunter2\n");
    }
    tables = QoeTables.open(root, "1GB", 2);
    sql = new ReadOnlySql(tables, 1_500);
  }

  @AfterAll
  static void close() throws Exception {
    sql.close();
    tables.close();
  }

  @Test
  void runsASelectOverEveryTable() throws Exception {
    SqlResult result = sql.run(
        "SELECT (SELECT count(*) FROM qoe_minute) AS minutes, (SELECT count(*) FROM qoe_sessions) AS sessions,"
            + " (SELECT count(*) FROM catalog) AS titles, (SELECT count(*) FROM recommendations) AS recs", 100);
    assertThat(result.columns()).containsExactly("minutes", "sessions", "titles", "recs");
    assertThat(result.rows()).containsExactly(java.util.List.of(110L, 3L, 1L, 2L));
  }

  @Test
  void runsWithSelectDescribeAndShow() throws Exception {
    assertThat(sql.run("WITH w AS (SELECT key FROM qoe_minute WHERE dimension = 'server') SELECT DISTINCT key FROM w ORDER BY key", 10).rows())
        .extracting(row -> row.get(0)).containsExactly("srv-1", "srv-2", "srv-3");
    assertThat(sql.run("DESCRIBE qoe_minute", 100).rows()).extracting(row -> row.get(0))
        .contains("minute", "dimension", "key", "attempts", "startupP95Ms", "concurrentSessions");
    assertThat(sql.run("SHOW TABLES", 100).rows()).extracting(row -> row.get(0))
        .contains("qoe_minute", "qoe_sessions", "catalog", "recommendations");
  }

  @Test
  void readsNestedColumnsAsJsonValues() throws Exception {
    SqlResult result = sql.run("SELECT ladder[1].rungId AS rung, ladder FROM catalog", 10);
    assertThat(result.rows().get(0).get(0)).isEqualTo("720p");
    assertThat(result.rows().get(0).get(1)).asString().contains("avc1.64001f");
  }

  @Test
  void capsTheRowsAndSaysSo() throws Exception {
    SqlResult result = sql.run("SELECT * FROM range(1000)", 25);
    assertThat(result.rows()).hasSize(25);
    assertThat(result.truncated()).isTrue();
    assertThat(result.rowLimit()).isEqualTo(25);
  }

  @Test
  void refusesARowLargerThanTheLimitBeforeItLeavesDuckDb() throws Exception {
    assertThatThrownBy(() -> sql.run("SELECT repeat('x', 60000000) AS big", 10))
        .isInstanceOf(SqlRefusedException.class)
        .hasMessageStartingWith("refused: a row of the result is larger than 64 KB as text");
    // Whatever the statement calls its columns, every one is measured.
    assertThatThrownBy(() -> sql.run("SELECT 1 AS caudal_query, 2 AS \"*\", {'a': repeat('y', 70000)} AS s", 10))
        .isInstanceOf(SqlRefusedException.class)
        .hasMessageStartingWith("refused: a row of the result is larger than 64 KB as text");
    assertThat(sql.run("SELECT repeat('x', 60000) AS fits", 10).rows()).hasSize(1);
  }

  @Test
  void keepsTheStatementsOrderItsTrailingSemicolonAndComment() throws Exception {
    assertThat(sql.run("SELECT i FROM range(5000) r(i) ORDER BY i DESC;  ", 3000).rows())
        .extracting(row -> row.get(0))
        .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 3000).map(i -> 4999 - i).boxed().toList());
    assertThat(sql.run("SELECT 7 AS n -- the answer", 10).rows()).containsExactly(java.util.List.of(7));
  }

  @Test
  void refusesDdl() {
    assertThatThrownBy(() -> sql.run("CREATE TABLE stolen AS SELECT * FROM qoe_sessions", 10))
        .isInstanceOf(SqlRefusedException.class)
        .hasMessageStartingWith("refused: only read-only queries run here");
    assertThatThrownBy(() -> sql.run("DROP VIEW qoe_minute", 10))
        .isInstanceOf(SqlRefusedException.class)
        .hasMessageStartingWith("refused: only read-only queries run here");
  }

  @Test
  void refusesWrites() {
    assertThatThrownBy(() -> sql.run("INSERT INTO qoe_minute SELECT * FROM qoe_minute", 10))
        .isInstanceOf(SqlRefusedException.class)
        .hasMessageStartingWith("refused: only read-only queries run here");
    assertThatThrownBy(() -> sql.run("COPY (SELECT 1) TO '" + root.resolve("tables/x.csv") + "'", 10))
        .isInstanceOf(SqlRefusedException.class)
        .hasMessageStartingWith("refused: only read-only queries run here");
    assertThatThrownBy(() -> sql.run("WITH gone AS (DELETE FROM qoe_minute RETURNING *) SELECT * FROM gone", 10))
        .isInstanceOf(SqlRefusedException.class)
        .hasMessage("syntax error: A CTE needs a SELECT");
  }

  @Test
  void refusesASecondStatementHiddenAfterASelect() {
    assertThatThrownBy(() -> sql.run("SELECT 1; SELECT 2", 10))
        .isInstanceOf(SqlRefusedException.class)
        .hasMessage("refused: one statement at a time, this has 2");
    assertThatThrownBy(() -> sql.run("SELECT 1; CREATE TABLE t (a INT)", 10))
        .isInstanceOf(SqlRefusedException.class)
        .hasMessageStartingWith("refused: only read-only queries run here");
  }

  @Test
  void refusesReadingFilesOutsideTheTables() {
    assertThatThrownBy(() -> sql.run("SELECT * FROM read_csv('/etc/passwd')", 10))
        .isInstanceOf(SqlRefusedException.class)
        .hasMessageStartingWith("refused: only the QoE tables can be read here.")
        .hasMessageContaining("Permission Error: Cannot access file \"/etc/passwd\"");
    assertThatThrownBy(() -> sql.run("SELECT * FROM read_text('" + outside.resolve("secret.csv") + "')", 10))
        .isInstanceOf(SqlRefusedException.class)
        .hasMessageContaining("Permission Error");
    assertThatThrownBy(() -> sql.run("SELECT * FROM '" + root.resolve("tables/../../" + outside.getFileName() + "/secret.csv") + "'", 10))
        .isInstanceOf(SqlRefusedException.class)
        .hasMessageContaining("Permission Error");
    assertThatThrownBy(() -> sql.run("SELECT * FROM glob('/*')", 10))
        .isInstanceOf(SqlRefusedException.class)
        .hasMessageContaining("Permission Error");
  }

  @Test
  void readsNoFileUnderTablesButTheExposedTables() throws Exception {
    Path tablesDir = root.resolve("tables").toAbsolutePath();
    for (String path : new String[] {"ratings/private.csv", ".staging/run-1/private.csv", "catalog-old/private.csv",
        "catalog/../ratings/private.csv", "qoe_minute/../../tables/ratings/private.csv"}) {
      assertThatThrownBy(() -> sql.run("SELECT * FROM read_csv('" + tablesDir.resolve(path) + "')", 10))
          .as(path)
          .isInstanceOf(SqlRefusedException.class)
          .hasMessageStartingWith("refused: only the QoE tables can be read here.")
          .hasMessageContaining("Permission Error");
    }
    assertThatThrownBy(() -> sql.run("SELECT * FROM glob('" + tablesDir + "/*')", 10))
        .isInstanceOf(SqlRefusedException.class)
        .hasMessageContaining("Permission Error");
    // An exposed table's own files are what its view shows anyway.
    assertThat(sql.run("SELECT count(*) FROM read_parquet('" + tablesDir.resolve("catalog") + "/*.parquet')", 1).rows())
        .containsExactly(java.util.List.of(1L));
  }

  @Test
  void refusesAttach() {
    assertThatThrownBy(() -> sql.run("ATTACH '" + outside.resolve("other.db") + "' AS other", 10))
        .isInstanceOf(SqlRefusedException.class)
        .hasMessageStartingWith("refused: only read-only queries run here");
    assertThatThrownBy(() -> sql.run("ATTACH ':memory:' AS scratch", 10))
        .isInstanceOf(SqlRefusedException.class)
        .hasMessageStartingWith("refused: only read-only queries run here");
  }

  @Test
  void refusesSettingsExtensionsAndPragmas() {
    assertThatThrownBy(() -> sql.run("SET enable_external_access = true", 10))
        .isInstanceOf(SqlRefusedException.class)
        .hasMessageStartingWith("refused: only read-only queries run here");
    assertThatThrownBy(() -> sql.run("INSTALL httpfs", 10))
        .isInstanceOf(SqlRefusedException.class)
        .hasMessageStartingWith("refused: only read-only queries run here");
    assertThatThrownBy(() -> sql.run("PRAGMA database_list", 10))
        .isInstanceOf(SqlRefusedException.class)
        .hasMessageStartingWith("refused: only read-only queries run here");
    assertThatThrownBy(() -> sql.run("SELECT * FROM query('CREATE TABLE t AS SELECT 1')", 10))
        .isInstanceOf(SqlRefusedException.class)
        .hasMessageContaining("Expected a single SELECT statement");
  }

  @Test
  void theDatabaseItselfIsLockedEvenForAStatementThatGotPastTheCheck() throws Exception {
    try (java.sql.Connection connection = tables.connect()) {
      assertThatThrownBy(() -> connection.createStatement().execute("SET enable_external_access = true"))
          .hasMessageContaining("the configuration has been locked");
      assertThatThrownBy(() -> connection.createStatement().execute("SET allowed_directories = ['/']"))
          .hasMessageContaining("the configuration has been locked");
      assertThatThrownBy(() -> connection.createStatement().execute("SELECT * FROM read_csv('/etc/passwd')"))
          .hasMessageContaining("Permission Error");
      assertThatThrownBy(() -> connection.createStatement().execute("ATTACH '" + outside.resolve("x.db") + "'"))
          .hasMessageContaining("Permission Error");
      assertThatThrownBy(() -> connection.createStatement().execute("LOAD httpfs"))
          .hasMessageContaining("Permission Error");
    }
  }

  @Test
  void cancelsAQueryThatWouldRunForever() {
    assertThatThrownBy(() -> sql.run("SELECT count(*) FROM range(1000000000000) a(i), range(1000) b(j) WHERE i * j = -1", 10))
        .isInstanceOf(SqlRefusedException.class)
        .hasMessage("cancelled: the query ran past the time limit of 1500 ms");
    // The database is not left busy: the next query runs.
    assertThatCode(() -> sql.run("SELECT 1", 1)).doesNotThrowAnyException();
  }

  @Test
  void refusesEmptyAndBrokenQueries() {
    assertThatThrownBy(() -> sql.run("   ", 10))
        .isInstanceOf(SqlRefusedException.class)
        .hasMessage("empty query: write one SELECT statement");
    assertThatThrownBy(() -> sql.run("SELEKT 1", 10))
        .isInstanceOf(SqlRefusedException.class)
        .hasMessageStartingWith("syntax error:");
    assertThatThrownBy(() -> sql.run("SELECT nope FROM qoe_minute", 10))
        .isInstanceOf(SqlRefusedException.class)
        .hasMessageContaining("nope");
  }
}
