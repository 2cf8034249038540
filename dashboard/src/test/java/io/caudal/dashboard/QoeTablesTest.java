package io.caudal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.caudal.schemas.Tables;
import io.caudal.testing.IntegrationTest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A root that starts empty and gets its tables while the dashboard runs. */
@IntegrationTest
class QoeTablesTest {

  @TempDir static Path root;
  static QoeTables tables;

  @BeforeAll
  static void open() {
    tables = QoeTables.open(root, "512MB", 1);
  }

  @AfterAll
  static void close() throws Exception {
    tables.close();
  }

  @Test
  void picksUpTablesWrittenAfterItStarted() throws Exception {
    assertThat(tables.hasData(Tables.QOE_MINUTE)).isFalse();

    FixtureTables.writeAll(root, System.currentTimeMillis());

    await().atMost(Duration.ofSeconds(30)).until(() -> tables.hasData(Tables.QOE_MINUTE));
    try (Connection connection = tables.connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*), count(DISTINCT date) FROM qoe_minute")) {
      rows.next();
      assertThat(rows.getLong(1)).isEqualTo(11L * FixtureTables.MINUTES);
      assertThat(rows.getLong(2)).isBetween(1L, 2L);
    }
    assertThat(tables.status()).allSatisfy((name, present) -> assertThat(present).as(name).isEqualTo(!name.equals("alerts")));
  }

  @Test
  void emptyViewsHaveTheContractsTypes() {
    assertThat(QoeTables.emptyRelation(Tables.QOE_MINUTE))
        .contains("CAST(NULL AS BIGINT) AS \"minute\"", "CAST(NULL AS DOUBLE) AS \"vsfPct\"",
            "CAST(NULL AS DATE) AS date", "CAST(NULL AS BIGINT) AS hour");
    assertThat(QoeTables.emptyRelation(Tables.CATALOG))
        .contains("CAST(NULL AS STRUCT(\"rungId\" VARCHAR, \"width\" INTEGER")
        .doesNotContain("AS date");
  }
}
