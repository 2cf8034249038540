package io.caudal.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.specific.SpecificData;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableReaderTest {
  @TempDir Path root;

  @Test
  void readsEveryVisibleDataFileOfAPartitionedTableInPathOrder() throws IOException {
    QoeSession morning = session("s-1");
    QoeSession evening = session("s-2");
    QoeSession beingWritten = session("s-hidden");
    Path table = root.resolve(Tables.QOE_SESSIONS.path());
    write(table.resolve("date=2026-03-10/hour=20/part-0.parquet"), evening);
    write(table.resolve("date=2026-03-10/hour=08/part-0.parquet"), morning);
    write(table.resolve("date=2026-03-10/hour=21/.part-1.parquet"), beingWritten);
    write(table.resolve("_staging/hour=22/part-2.parquet"), beingWritten);
    Files.writeString(table.resolve("_SUCCESS"), "");

    TableReader<QoeSession> reader = TableReader.of(Tables.QOE_SESSIONS, root.toUri().toString(), new Configuration());

    assertThat(reader.dataFiles()).hasSize(2);
    assertThat(reader.readAll()).containsExactly(morning, evening);
  }

  @Test
  void aTableThatDoesNotExistYetHasNoRows() throws IOException {
    assertThat(TableReader.of(Tables.CATALOG, root.toString(), new Configuration()).readAll()).isEmpty();
  }

  @Test
  void aFileThatIsNoParquetIsNamedInTheError() throws IOException {
    Path broken = root.resolve(Tables.CATALOG.path()).resolve("t-1.parquet");
    Files.createDirectories(broken.getParent());
    Files.writeString(broken, "not parquet");

    assertThatThrownBy(() -> TableReader.of(Tables.CATALOG, root.toString(), new Configuration()).readAll())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot read catalog file")
        .hasMessageContaining("t-1.parquet");
  }

  private static QoeSession session(String id) {
    return QoeSession.newBuilder(Samples.qoeSession()).setSessionId(id).build();
  }

  private static void write(Path file, QoeSession row) throws IOException {
    Files.createDirectories(file.getParent());
    try (ParquetWriter<QoeSession> writer = AvroParquetWriter.<QoeSession>builder(
            HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
        .withSchema(QoeSession.getClassSchema())
        .withDataModel(SpecificData.getForClass(QoeSession.class))
        .build()) {
      writer.write(row);
    }
  }
}
