package io.caudal.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.specific.SpecificRecord;

/**
 * Every released version of every contract, and the rule that binds them: a schema's current
 * version reads every released one (backward) and every released one reads it (forward), so
 * producers and consumers of any two versions work together during a rolling upgrade.
 *
 * <p>Released versions live in {@code src/main/avro/history/<Name>/v<N>.avsc}, copied byte for
 * byte from the schema the day it was released, and travel on the classpath under
 * {@code io/caudal/schemas/history/}.
 */
public final class SchemaHistory {

  private static final String ROOT = "/io/caudal/schemas/history/";

  /**
   * One released version of a schema.
   *
   * @param version 1, 2, … in order of release
   */
  public record Release(String name, int version, Schema schema) {
    public long fingerprint() {
      return JsonAvroCodec.fingerprint(schema);
    }
  }

  private SchemaHistory() {}

  /** Each contract's current generated class, by the schema's name: the topics' values and the tables' rows. */
  public static Map<String, Class<? extends SpecificRecord>> currentClasses() {
    Map<String, Class<? extends SpecificRecord>> classes = new LinkedHashMap<>();
    Stream.concat(Topics.all().stream().map(Topic::valueClass), Tables.all().stream().map(Table::rowClass))
        .forEach(type -> classes.put(Topic.schemaOf(type).getName(), type));
    return classes;
  }

  /** The released versions of the schema named {@code name}, oldest first; empty when none was released. */
  public static List<Release> releasesOf(String name) {
    List<Release> releases = new ArrayList<>();
    for (int version = 1; ; version++) {
      String path = ROOT + name + "/v" + version + ".avsc";
      try (InputStream in = SchemaHistory.class.getResourceAsStream(path)) {
        if (in == null) {
          return releases;
        }
        // A parser per file: every version defines the same names.
        Schema schema = new Schema.Parser().parse(in);
        if (!schema.getName().equals(name)) {
          throw new IllegalStateException(path + " defines " + schema.getFullName() + ", not " + name);
        }
        releases.add(new Release(name, version, schema));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + path, e);
      }
    }
  }

  /** Every released version of every current contract. */
  public static List<Release> all() {
    return currentClasses().keySet().stream().flatMap(name -> releasesOf(name).stream()).toList();
  }

  /**
   * What keeps {@code candidate} from replacing the {@code released} versions: for each, whether
   * the candidate cannot read data written with it (backward) or it cannot read data written with
   * the candidate (forward), with the field named. Empty when the candidate is compatible both
   * ways with all of them.
   */
  public static List<String> incompatibilities(Schema candidate, List<Release> released) {
    List<String> problems = new ArrayList<>();
    for (Release release : released) {
      String version = candidate.getName() + " v" + release.version();
      describe(problems, candidate, release.schema(),
          "the new " + candidate.getName() + " cannot read " + version + " (backward)");
      describe(problems, release.schema(), candidate,
          version + " cannot read the new " + candidate.getName() + " (forward)");
    }
    return problems;
  }

  private static void describe(List<String> problems, Schema reader, Schema writer, String what) {
    SchemaCompatibility.SchemaPairCompatibility result =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
      problems.add(what + ": field " + fieldPath(reader, incompatibility.getLocation()) + ": "
          + incompatibility.getType() + " (" + incompatibility.getMessage() + ")");
    }
  }

  /**
   * The field a compatibility location ({@code /fields/3/type/items/fields/0}) points at, by name
   * ({@code excluded[].serverId}); the location itself when it cannot be followed.
   */
  static String fieldPath(Schema reader, String location) {
    String[] steps = location.split("/");
    StringBuilder path = new StringBuilder();
    Schema at = reader;
    try {
      for (int i = 1; i < steps.length; i++) {
        switch (steps[i]) {
          case "fields" -> {
            Schema.Field field = at.getFields().get(Integer.parseInt(steps[++i]));
            path.append(path.isEmpty() ? "" : ".").append(field.name());
            at = field.schema();
          }
          case "type", "name", "size", "symbols" -> { }
          case "items" -> {
            at = at.getElementType();
            path.append("[]");
          }
          case "values" -> {
            at = at.getValueType();
            path.append("{}");
          }
          default -> at = at.getTypes().get(Integer.parseInt(steps[i])); // a union's branch
        }
      }
    } catch (RuntimeException cannotFollow) {
      return location;
    }
    return path.isEmpty() ? reader.getName() + " (the record itself)" : path.toString();
  }
}
