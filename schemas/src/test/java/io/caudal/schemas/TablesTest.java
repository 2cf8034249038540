package io.caudal.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TablesTest {

  @Test
  void listsEveryParquetTableUnderTables() {
    assertThat(Tables.all()).extracting(Table::name)
        .containsExactly("catalog", "qoe_sessions", "qoe_minute", "recommendations", "ratings", "alerts");
    assertThat(Tables.all()).extracting(Table::path)
        .containsExactly("tables/catalog", "tables/qoe_sessions", "tables/qoe_minute", "tables/recommendations",
            "tables/ratings", "tables/alerts");
  }

  @Test
  void placesATableUnderAnyRoot() {
    assertThat(Tables.QOE_SESSIONS.location("hdfs://namenode:8020/caudal"))
        .isEqualTo("hdfs://namenode:8020/caudal/tables/qoe_sessions");
    assertThat(Tables.CATALOG.location("file:///tmp/caudal-data/"))
        .isEqualTo("file:///tmp/caudal-data/tables/catalog");
  }

  @Test
  void findsATableByName() {
    assertThat(Tables.byName("qoe_minute")).containsSame(Tables.QOE_MINUTE);
    assertThat(Tables.byName("ratings")).containsSame(Tables.RATINGS);
    assertThat(Tables.byName("views")).isEmpty();
  }

  @Test
  void givesEachTableItsRowSchema() {
    assertThat(Tables.RECOMMENDATIONS.rowSchema()).isEqualTo(Recommendation.getClassSchema());
    assertThat(Tables.RATINGS.rowSchema()).isEqualTo(UserRating.getClassSchema());
  }
}
