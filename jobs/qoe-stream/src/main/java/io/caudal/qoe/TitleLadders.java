package io.caudal.qoe;

import io.caudal.qoe.core.TitleLadder;
import io.caudal.schemas.CatalogEntry;
import io.caudal.schemas.TableReader;
import io.caudal.schemas.Tables;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/** The ladders of the titles transcode has published, from the catalog table under a root. */
final class TitleLadders {
  private TitleLadders() {}

  /** Each catalog row's title ladder by title id; none when the catalog is empty or absent. */
  static Map<String, TitleLadder> fromCatalog(String root) throws IOException {
    Map<String, TitleLadder> ladders = new HashMap<>();
    for (CatalogEntry entry : TableReader.of(Tables.CATALOG, root, new Configuration()).readAll()) {
      ladders.put(entry.getTitleId(), TitleLadder.of(entry));
    }
    return ladders;
  }
}
