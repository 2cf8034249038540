package io.caudal.edge.catalog;

import io.caudal.schemas.CatalogEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificData;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * The catalog table ({@code <root>/tables/catalog/<titleId>.parquet}, written by transcode) read
 * with parquet-avro through Hadoop's FileSystem; re-read when its listing changes, looked at no
 * more often than {@link #RELIST_MILLIS}.
 */
public final class Catalog {

  static final long RELIST_MILLIS = 2000;

  private final FileSystem fs;
  private final Path dir;
  private final Configuration conf;
  private Map<String, Long> listing = Map.of();
  private Map<String, CatalogEntry> byId = Map.of();
  private long listedAt;

  public Catalog(FileSystem fs, Path dir, Configuration conf) {
    this.fs = fs;
    this.dir = dir;
    this.conf = conf;
  }

  public Optional<CatalogEntry> byId(String titleId) throws IOException {
    return Optional.ofNullable(current().get(titleId));
  }

  /**
   * Titles whose name contains {@code name} and whose category equals {@code category}, ignoring
   * case; a null criterion matches all. Sorted by name.
   */
  public List<CatalogEntry> search(String name, String category) throws IOException {
    String needle = name == null ? null : name.toLowerCase(Locale.ROOT);
    List<CatalogEntry> found = new ArrayList<>();
    for (CatalogEntry entry : current().values()) {
      if (needle != null && !entry.getName().toLowerCase(Locale.ROOT).contains(needle)) {
        continue;
      }
      if (category != null && !entry.getCategory().equalsIgnoreCase(category)) {
        continue;
      }
      found.add(entry);
    }
    found.sort(Comparator.comparing(CatalogEntry::getName).thenComparing(CatalogEntry::getTitleId));
    return found;
  }

  private synchronized Map<String, CatalogEntry> current() throws IOException {
    long now = System.currentTimeMillis();
    if (now - listedAt < RELIST_MILLIS) {
      return byId;
    }
    listedAt = now;
    Map<String, Long> fresh = new TreeMap<>();
    if (fs.exists(dir)) {
      for (FileStatus status : fs.listStatus(dir)) {
        String name = status.getPath().getName();
        if (status.isFile() && name.endsWith(".parquet") && !name.startsWith(".") && !name.startsWith("_")) {
          fresh.put(name, status.getModificationTime());
        }
      }
    }
    if (!fresh.equals(listing)) {
      Map<String, CatalogEntry> read = new TreeMap<>();
      for (String file : fresh.keySet()) {
        for (CatalogEntry entry : readFile(new Path(dir, file))) {
          read.put(entry.getTitleId(), entry);
        }
      }
      byId = read;
      listing = fresh;
    }
    return byId;
  }

  private List<CatalogEntry> readFile(Path file) throws IOException {
    Configuration readConf = new Configuration(conf);
    readConf.setBoolean(AvroReadSupport.AVRO_COMPATIBILITY, false);
    List<CatalogEntry> rows = new ArrayList<>();
    try (ParquetReader<CatalogEntry> reader = AvroParquetReader.<CatalogEntry>builder(
            HadoopInputFile.fromPath(file, readConf))
        .withDataModel(SpecificData.getForClass(CatalogEntry.class))
        .withConf(readConf)
        .build()) {
      for (CatalogEntry row = reader.read(); row != null; row = reader.read()) {
        rows.add(row);
      }
    }
    return rows;
  }
}
