package io.caudal.edge.catalog;

import io.caudal.schemas.CatalogEntry;
import io.caudal.schemas.TableReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;

/**
 * Finds titles in the catalog table ({@code <root>/tables/catalog/<titleId>.parquet}, written by
 * transcode), kept in memory and read again through {@link TableReader} when the table's listing
 * changes; the listing is looked at no more often than {@link #RELIST_MILLIS}.
 */
public final class CatalogSearch {

  static final long RELIST_MILLIS = 2000;

  private final TableReader<CatalogEntry> table;
  private Map<String, Long> listing = Map.of();
  private Map<String, CatalogEntry> byId = Map.of();
  private long listedAt;

  public CatalogSearch(TableReader<CatalogEntry> table) {
    this.table = table;
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
    List<FileStatus> files = table.dataFiles();
    Map<String, Long> fresh = new TreeMap<>();
    for (FileStatus file : files) {
      fresh.put(file.getPath().toString(), file.getModificationTime());
    }
    if (!fresh.equals(listing)) {
      Map<String, CatalogEntry> read = new TreeMap<>();
      for (FileStatus file : files) {
        for (CatalogEntry entry : table.read(file)) {
          read.put(entry.getTitleId(), entry);
        }
      }
      byId = read;
      listing = fresh;
    }
    return byId;
  }
}
