package io.caudal.schemas;

import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * A Parquet table of Caudal: its name and the class of its rows. The table lives at
 * {@code <root>/tables/<name>/}. Constants live in {@link Tables}.
 *
 * @param name the table name, e.g. {@code qoe_sessions}
 * @param rowClass the generated class of the rows
 * @param <R> the row type
 */
public record Table<R extends SpecificRecord>(String name, Class<R> rowClass) {

  private static final String TABLES_FOLDER = "tables/";

  public Table {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(rowClass, "rowClass");
  }

  /** Path of the table relative to the root, e.g. {@code tables/catalog}. */
  public String path() {
    return TABLES_FOLDER + name;
  }

  /** Where the table lives under a root URI, e.g. {@code hdfs://namenode:8020/caudal/tables/catalog}. */
  public String location(String root) {
    return root.endsWith("/") ? root + path() : root + "/" + path();
  }

  /** The Avro schema of the rows. */
  public Schema rowSchema() {
    return Topic.schemaOf(rowClass);
  }
}
