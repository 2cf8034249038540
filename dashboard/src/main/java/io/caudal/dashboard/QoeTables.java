package io.caudal.dashboard;

import io.caudal.schemas.Table;
import io.caudal.schemas.Tables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.duckdb.DuckDBConnection;

/**
 * One in-memory DuckDB over the Parquet tables under {@code <root>/tables/}, locked down so that
 * it can read those tables and nothing else. Every table the dashboard shows is a view: over
 * {@code read_parquet(...)} once the table has files, and an empty view with the contract's
 * columns until then, so a fresh install answers "no data yet" instead of failing.
 *
 * <p>Connections handed out are duplicates of one instance: one per request, closed by the caller.
 */
public final class QoeTables implements AutoCloseable {

  /** The tables the dashboard exposes, in the order the SQL panel lists them. */
  public static final List<Table<?>> EXPOSED =
      List.of(Tables.QOE_SESSIONS, Tables.QOE_MINUTE, Tables.CATALOG, Tables.RECOMMENDATIONS, Tables.ALERTS);

  /** Tables written as Hive partitions {@code date=YYYY-MM-DD/hour=HH/}. */
  private static final Set<String> PARTITIONED =
      Set.of(Tables.QOE_SESSIONS.name(), Tables.QOE_MINUTE.name(), Tables.ALERTS.name());

  /** How often a table without files is looked at again for its first file. */
  private static final long RESCAN_INTERVAL_MS = 5_000;

  private final Path tablesDir;
  private final DuckDBConnection root;
  private final Map<String, Boolean> hasFiles = new LinkedHashMap<>();
  private long lastScanMs;

  private QoeTables(Path tablesDir, DuckDBConnection root) {
    this.tablesDir = tablesDir;
    this.root = root;
  }

  /**
   * Opens DuckDB over {@code <root>/tables/}.
   *
   * @param dataRoot the Caudal root folder (a local path: DuckDB reads local files)
   * @param memoryLimit DuckDB's memory_limit, e.g. {@code 2GB}
   * @param threads DuckDB worker threads
   */
  public static QoeTables open(Path dataRoot, String memoryLimit, int threads) {
    Path tablesDir = dataRoot.toAbsolutePath().normalize().resolve("tables");
    try {
      Path spillDir = Files.createTempDirectory("caudal-dashboard-duckdb");
      spillDir.toFile().deleteOnExit();
      Properties props = new Properties();
      // Never fetch or load extensions at run time: parquet and json are built into the driver.
      props.setProperty("autoinstall_known_extensions", "false");
      props.setProperty("autoload_known_extensions", "false");
      DuckDBConnection connection =
          (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", props);
      QoeTables tables = new QoeTables(tablesDir, connection);
      tables.refreshViews(true);
      tables.lockDown(spillDir, memoryLimit, threads);
      return tables;
    } catch (SQLException e) {
      throw new IllegalStateException("could not open DuckDB: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The folder the tables are read from. */
  public Path tablesDir() {
    return tablesDir;
  }

  /**
   * The locks, set once after the views exist. Files can be read only in the folders of the
   * {@link #EXPOSED} tables (allowed_directories is honoured while external access is off), and
   * lock_configuration keeps a query from setting any of this back.
   */
  private void lockDown(Path spillDir, String memoryLimit, int threads) throws SQLException {
    try (Statement statement = root.createStatement()) {
      // Bounded so one operator's query cannot take the machine's memory or every core.
      statement.execute("SET memory_limit = '" + memoryLimit.replace("'", "") + "'");
      statement.execute("SET threads = " + threads);
      // Spill files go to a private folder; DuckDB allows its own temp folder implicitly.
      statement.execute("SET temp_directory = '" + sqlString(spillDir.toString()) + "'");
      // Only the exposed tables' own folders: not the tables folder, whose other tables (ratings,
      // staged work) read_parquet could otherwise reach.
      statement.execute("SET allowed_directories = [" + EXPOSED.stream()
          .map(table -> "'" + sqlString(tablesDir.resolve(table.name()).toString()) + "/'")
          .collect(Collectors.joining(", ")) + "]");
      // No files but the tables, no URLs, no ATTACH of a file, no extension loading.
      statement.execute("SET enable_external_access = false");
      statement.execute("SET autoinstall_known_extensions = false");
      statement.execute("SET autoload_known_extensions = false");
      statement.execute("SET allow_community_extensions = false");
      // Last: from here on no statement can change any setting above.
      statement.execute("SET lock_configuration = true");
    }
  }

  /** A new connection on the shared database; the caller closes it. */
  public Connection connect() throws SQLException {
    refreshViews(false);
    return root.duplicate();
  }

  /** Whether a table has any Parquet file yet. */
  public synchronized boolean hasData(Table<?> table) {
    refreshViews(false);
    return hasFiles.getOrDefault(table.name(), false);
  }

  /** Per exposed table: whether it has files yet. */
  public synchronized Map<String, Boolean> status() {
    refreshViews(false);
    return Map.copyOf(hasFiles);
  }

  /**
   * Points each view at its files once the table has some; tables without files keep an empty
   * view. Looks again at most every few seconds, and only at tables still without files.
   */
  private synchronized void refreshViews(boolean force) {
    long now = System.currentTimeMillis();
    if (!force && now - lastScanMs < RESCAN_INTERVAL_MS) {
      return;
    }
    lastScanMs = now;
    for (Table<?> table : EXPOSED) {
      if (hasFiles.getOrDefault(table.name(), false)) {
        continue;
      }
      boolean present = hasParquetFile(tablesDir.resolve(table.name()));
      if (present || force) {
        String sql =
            "CREATE OR REPLACE VIEW " + table.name() + " AS "
                + (present ? readParquet(table) : emptyRelation(table));
        try (Statement statement = root.createStatement()) {
          statement.execute(sql);
        } catch (SQLException e) {
          throw new IllegalStateException(
              "could not create view " + table.name() + ": " + e.getMessage(), e);
        }
      }
      hasFiles.put(table.name(), present);
    }
  }

  /**
   * The table's files, under the contract's columns: files written before a column was added to
   * the contract (experienceScore, say) read it as NULL, instead of the column missing from the
   * view until some file has it.
   */
  private String readParquet(Table<?> table) {
    String glob = tablesDir.resolve(table.name()) + "/**/*.parquet";
    return "SELECT * FROM (" + emptyRelation(table) + ") UNION ALL BY NAME "
        + "SELECT * FROM read_parquet('" + sqlString(glob) + "', hive_partitioning = "
        + PARTITIONED.contains(table.name()) + ", union_by_name = true)";
  }

  /** An empty relation with the table's contract columns (and partition columns), typed. */
  static String emptyRelation(Table<?> table) {
    Stream<String> columns =
        table.rowSchema().getFields().stream()
            .map(field -> "CAST(NULL AS " + duckType(field.schema()) + ") AS \"" + field.name() + "\"");
    if (PARTITIONED.contains(table.name())) {
      columns = Stream.concat(columns, Stream.of("CAST(NULL AS DATE) AS date", "CAST(NULL AS BIGINT) AS hour"));
    }
    return "SELECT " + columns.collect(Collectors.joining(", ")) + " WHERE false";
  }

  /** The DuckDB type Parquet written from this Avro schema reads back as. */
  static String duckType(Schema schema) {
    return switch (schema.getType()) {
      case UNION -> duckType(
          schema.getTypes().stream()
              .filter(branch -> branch.getType() != Schema.Type.NULL)
              .findFirst()
              .orElseThrow());
      case STRING, ENUM -> "VARCHAR";
      case LONG -> "BIGINT";
      case INT -> "INTEGER";
      case DOUBLE -> "DOUBLE";
      case FLOAT -> "FLOAT";
      case BOOLEAN -> "BOOLEAN";
      case BYTES, FIXED -> "BLOB";
      case ARRAY -> duckType(schema.getElementType()) + "[]";
      case MAP -> "MAP(VARCHAR, " + duckType(schema.getValueType()) + ")";
      case RECORD -> "STRUCT("
          + schema.getFields().stream()
              .map(field -> "\"" + field.name() + "\" " + duckType(field.schema()))
              .collect(Collectors.joining(", "))
          + ")";
      case NULL -> "INTEGER";
    };
  }

  private static boolean hasParquetFile(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.anyMatch(
          path -> path.getFileName().toString().endsWith(".parquet") && Files.isRegularFile(path));
    } catch (IOException | UncheckedIOException e) {
      // A partition renamed away while walking: look again next time.
      return false;
    }
  }

  static String sqlString(String text) {
    return text.replace("'", "''");
  }

  @Override
  public void close() throws SQLException {
    root.close();
  }
}
