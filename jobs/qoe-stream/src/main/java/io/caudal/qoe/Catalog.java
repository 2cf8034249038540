package io.caudal.qoe;

import io.caudal.qoe.logic.Title;
import io.caudal.schemas.CatalogEntry;
import io.caudal.schemas.Tables;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificData;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/** The titles transcode has published, from {@code <root>/tables/catalog/}; none when it is empty. */
final class Catalog {
  private Catalog() {}

  static Map<String, Title> load(String root) throws IOException {
    Configuration conf = new Configuration();
    conf.setBoolean(AvroReadSupport.AVRO_COMPATIBILITY, false);
    Path folder = new Path(Tables.CATALOG.location(root));
    FileSystem fs = FileSystem.get(URI.create(Tables.CATALOG.location(root)), conf);
    Map<String, Title> titles = new HashMap<>();
    if (!fs.exists(folder)) {
      return titles;
    }
    for (FileStatus file : fs.listStatus(folder, path -> path.getName().endsWith(".parquet"))) {
      try (ParquetReader<CatalogEntry> reader = AvroParquetReader.<CatalogEntry>builder(
          HadoopInputFile.fromStatus(file, conf)).withDataModel(SpecificData.getForClass(CatalogEntry.class)).build()) {
        for (CatalogEntry entry = reader.read(); entry != null; entry = reader.read()) {
          titles.put(entry.getTitleId(), Title.of(entry));
        }
      }
    }
    return titles;
  }
}
