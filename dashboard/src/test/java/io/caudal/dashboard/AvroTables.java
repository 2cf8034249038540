package io.caudal.dashboard;

import io.caudal.schemas.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalOutputFile;

/**
 * Writes rows of a Caudal table as its jobs do: the schemas' Avro rows to Parquet with
 * parquet-avro, one file per {@code date=YYYY-MM-DD/hour=HH/} partition of a time field.
 */
final class AvroTables {

  private AvroTables() {}

  /** Writes {@code rows} under {@code root/tables/<table>/}, partitioned by the UTC hour of {@code time}. */
  static <R extends SpecificRecord> void writePartitioned(Path root, Table<R> table, List<R> rows,
      ToLongFunction<R> time) throws IOException {
    Map<String, List<R>> byPartition = rows.stream().collect(Collectors.groupingBy(row -> {
      ZonedDateTime at = Instant.ofEpochMilli(time.applyAsLong(row)).atZone(ZoneOffset.UTC);
      return "date=%s/hour=%02d".formatted(at.toLocalDate(), at.getHour());
    }, TreeMap::new, Collectors.toList()));
    int part = 0;
    for (Map.Entry<String, List<R>> partition : byPartition.entrySet()) {
      Path file = root.resolve(table.path()).resolve(partition.getKey()).resolve("part-" + part++ + ".parquet");
      Files.createDirectories(file.getParent());
      try (ParquetWriter<R> writer = AvroParquetWriter.<R>builder(new LocalOutputFile(file))
          .withSchema(table.rowSchema())
          .withDataModel(SpecificData.getForClass(table.rowClass()))
          .build()) {
        for (R row : partition.getValue()) {
          writer.write(row);
        }
      }
    }
  }
}
