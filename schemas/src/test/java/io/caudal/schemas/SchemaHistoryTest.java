package io.caudal.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** The build's compatibility check: every contract as it is now against every version released. */
class SchemaHistoryTest {

  @Test
  void everyContractHasAReleasedVersion() {
    for (String name : SchemaHistory.currentClasses().keySet()) {
      assertThat(SchemaHistory.releasesOf(name)).as("releases of %s (add history/%s/v1.avsc)", name, name)
          .isNotEmpty()
          .allSatisfy(release -> assertThat(release.schema().getName()).isEqualTo(name));
    }
  }

  @Test
  void everyCurrentSchemaReadsAndIsReadByEveryReleasedVersion() {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Class<? extends SpecificRecord>> contract : SchemaHistory.currentClasses().entrySet()) {
      problems.addAll(SchemaHistory.incompatibilities(Topic.schemaOf(contract.getValue()),
          SchemaHistory.releasesOf(contract.getKey())));
    }
    assertThat(problems).as("incompatible changes (a released version is never changed; "
        + "a new field needs a default, and no field may be removed unless it had one)").isEmpty();
  }

  @Test
  void noTwoReleasedVersionsAreTheSameSchema() {
    // A release is a change: copying the current file again under a new number releases nothing.
    for (SchemaHistory.Release release : SchemaHistory.all()) {
      List<SchemaHistory.Release> all = SchemaHistory.releasesOf(release.name());
      assertThat(all.stream().map(SchemaHistory.Release::fingerprint).distinct())
          .as("%s: two released versions are the same schema", release.name())
          .hasSize(all.size());
    }
  }

  @Test
  void failsAFieldRemovedThatOldReadersNeed() {
    Schema candidate = edited(latest("ServerHealth"),
        "{\"name\":\"cpuUtil\",\"type\":\"double\",\"doc\":\"CPU utilization, 0-1.\"},", "");

    assertThat(SchemaHistory.incompatibilities(candidate, SchemaHistory.releasesOf("ServerHealth")))
        .contains("ServerHealth v1 cannot read the new ServerHealth (forward): field cpuUtil: "
            + "READER_FIELD_MISSING_DEFAULT_VALUE (cpuUtil)");
  }

  @Test
  void failsANewFieldWithoutADefault() {
    Schema candidate = edited(latest("PlayerRtcp"), "]}",
        ",{\"name\":\"codec\",\"type\":\"string\"}]}");

    assertThat(SchemaHistory.incompatibilities(candidate, SchemaHistory.releasesOf("PlayerRtcp")))
        .containsExactly("the new PlayerRtcp cannot read PlayerRtcp v1 (backward): field codec: "
            + "READER_FIELD_MISSING_DEFAULT_VALUE (codec)");
  }

  @Test
  void failsAChangedTypeBothWaysWithTheFieldNamed() {
    Schema candidate = edited(latest("PlayerHeartbeat"),
        "{\"name\":\"eventTime\",\"type\":\"long\"", "{\"name\":\"eventTime\",\"type\":\"string\"");

    List<SchemaHistory.Release> releases = SchemaHistory.releasesOf("PlayerHeartbeat");
    assertThat(SchemaHistory.incompatibilities(candidate, releases))
        .hasSize(2 * releases.size())
        .allSatisfy(problem -> assertThat(problem).contains("field eventTime: TYPE_MISMATCH"))
        .anySatisfy(problem -> assertThat(problem).contains("(backward)"))
        .anySatisfy(problem -> assertThat(problem).contains("(forward)"));
  }

  @Test
  void namesAFieldInsideANestedRecord() {
    Schema candidate = edited(latest("SteeringDecision"),
        "{\"name\":\"reason\",\"type\":\"string\"", "{\"name\":\"reason\",\"type\":\"int\"");

    assertThat(SchemaHistory.incompatibilities(candidate, SchemaHistory.releasesOf("SteeringDecision")))
        .anySatisfy(problem -> assertThat(problem).contains("field replications[].reason: TYPE_MISMATCH"));
  }

  @Test
  void acceptsAnOptionalFieldWithADefault() {
    Schema candidate = edited(latest("BitrateDecision"), "]}",
        ",{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}]}");

    assertThat(SchemaHistory.incompatibilities(candidate, SchemaHistory.releasesOf("BitrateDecision"))).isEmpty();
  }

  private static Schema latest(String name) {
    List<SchemaHistory.Release> releases = SchemaHistory.releasesOf(name);
    return releases.get(releases.size() - 1).schema();
  }

  /** The schema with one piece of its JSON replaced (the last occurrence: "]}" closes the fields). */
  private static Schema edited(Schema schema, String from, String to) {
    String json = schema.toString();
    int at = json.lastIndexOf(from);
    assertThat(at).as("%s in %s", from, json).isNotNegative();
    return new Schema.Parser().parse(json.substring(0, at) + to + json.substring(at + from.length()));
  }
}
