package io.caudal.schemas;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * Reads a table's rows as its generated class, through Hadoop's FileSystem (a local folder or
 * HDFS alike). The data files are the visible {@code .parquet} files under the table's folder, in
 * its partition folders too; names starting with {@code .} or {@code _} are files being written
 * or markers, and are skipped.
 *
 * <p>Needs parquet-avro and Hadoop's client on the classpath: schemas declares them optional, so
 * only the modules that read tables carry them.
 *
 * @param <R> the row type
 */
public final class TableReader<R extends SpecificRecord> {

  private final Table<R> table;
  private final Path folder;
  private final FileSystem fs;
  private final Configuration conf;

  private TableReader(Table<R> table, Path folder, FileSystem fs, Configuration conf) {
    this.table = table;
    this.folder = folder;
    this.fs = fs;
    this.conf = conf;
  }

  /** A reader of {@code table} under {@code root} (a URI or a local path). */
  public static <R extends SpecificRecord> TableReader<R> of(Table<R> table, String root, Configuration conf)
      throws IOException {
    String location = table.location(root);
    Configuration readConf = new Configuration(conf);
    // Read Avro lists as lists, not as the two-level compatibility structure.
    readConf.setBoolean(AvroReadSupport.AVRO_COMPATIBILITY, false);
    // Files Spark wrote (compacted hours, recommendations) carry no Avro schema of their own:
    // read every file as the table's row schema, which Avro resolution also applies to older files.
    AvroReadSupport.setAvroReadSchema(readConf, table.rowSchema());
    return new TableReader<>(table, new Path(location), FileSystem.get(URI.create(location), readConf), readConf);
  }

  /** The table's data files, by path; none when the table does not exist yet. */
  public List<FileStatus> dataFiles() throws IOException {
    List<FileStatus> files = new ArrayList<>();
    collect(folder, files);
    files.sort(Comparator.comparing(file -> file.getPath().toString()));
    return files;
  }

  /**
   * The data files under {@code dir}. Hidden names are left out before anything else is asked of
   * them: a writer's in-progress file may be renamed between a listing and a look at its status
   * (the local file system reads a file's permissions lazily, by name), and a folder may be gone
   * (compacted) by the time it is listed.
   */
  private void collect(Path dir, List<FileStatus> files) throws IOException {
    FileStatus[] entries;
    try {
      entries = fs.listStatus(dir, path -> !hidden(path.getName()));
    } catch (FileNotFoundException e) {
      return;
    }
    for (FileStatus entry : entries) {
      if (entry.isDirectory()) {
        collect(entry.getPath(), files);
      } else if (entry.getPath().getName().endsWith(".parquet")) {
        files.add(entry);
      }
    }
  }

  /** Every row of one data file, in file order. */
  public List<R> read(FileStatus file) throws IOException {
    List<R> rows = new ArrayList<>();
    try (ParquetReader<R> reader = AvroParquetReader.<R>builder(HadoopInputFile.fromStatus(file, conf))
        .withDataModel(SpecificData.getForClass(table.rowClass()))
        .withConf(conf)
        .build()) {
      for (R row = reader.read(); row != null; row = reader.read()) {
        rows.add(row);
      }
    } catch (IOException | RuntimeException e) {
      throw new IOException("cannot read " + table.name() + " file " + file.getPath() + ": " + e.getMessage(), e);
    }
    return rows;
  }

  /** Every row of the table: its data files in path order, each in file order. */
  public List<R> readAll() throws IOException {
    List<R> rows = new ArrayList<>();
    for (FileStatus file : dataFiles()) {
      rows.addAll(read(file));
    }
    return rows;
  }

  private static boolean hidden(String name) {
    return name.startsWith(".") || name.startsWith("_");
  }
}
