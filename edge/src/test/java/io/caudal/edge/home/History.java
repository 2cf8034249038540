package io.caudal.edge.home;

import io.caudal.schemas.CatalogEntry;
import io.caudal.schemas.QoeMinute;
import io.caudal.schemas.QoeSession;
import io.caudal.schemas.Recommendation;
import io.caudal.schemas.Table;
import io.caudal.schemas.UserRating;
import io.caudal.testing.SampleEvents;
import io.caudal.testing.SampleTitles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

/** Viewing history as the platform's jobs write it: rows of the tables, written as Parquet files under a root. */
public final class History {

  /** The time the tests' indexes answer for: an evening. */
  public static final long NOW = SampleEvents.EVENING;
  public static final long HOUR = 3_600_000L;

  private History() {}

  /** Writes {@code rows} as {@code <root>/tables/<table>/<file>}: first under a hidden name, then renamed, as the jobs publish. */
  @SafeVarargs
  public static <R extends SpecificRecord> void write(Path root, Table<R> table, String file, R... rows)
      throws IOException {
    write(root, table, file, List.of(rows));
  }

  public static <R extends SpecificRecord> void write(Path root, Table<R> table, String file, List<R> rows)
      throws IOException {
    Path target = root.resolve(table.path()).resolve(file);
    Files.createDirectories(target.getParent());
    Path hidden = target.resolveSibling("." + target.getFileName());
    Class<R> rowClass = table.rowClass();
    try (ParquetWriter<R> writer = AvroParquetWriter.<R>builder(
            HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(hidden.toUri()), new Configuration()))
        .withSchema(table.rowSchema())
        .withDataModel(SpecificData.getForClass(rowClass))
        .build()) {
      for (R row : rows) {
        writer.write(row);
      }
    }
    Files.deleteIfExists(hidden.resolveSibling("." + hidden.getFileName() + ".crc"));
    Files.move(hidden, target, StandardCopyOption.ATOMIC_MOVE);
  }

  /** A title of {@code category} published {@code hoursAgo} before {@link #NOW}, 10 minutes long. */
  public static CatalogEntry title(String titleId, String category, int hoursAgo) {
    return CatalogEntry.newBuilder(SampleTitles.entry(titleId, "Name of " + titleId, category))
        .setDurationMs(600_000).setCreatedAt(NOW - hoursAgo * HOUR).build();
  }

  /** A session of {@code user} that played {@code completion} of {@code title}, ended {@code hoursAgo} before now. */
  public static QoeSession session(String user, String title, String region, double completion, double hoursAgo) {
    long end = NOW - (long) (hoursAgo * HOUR);
    long playing = (long) (completion * 600_000);
    return QoeSession.newBuilder()
        .setSessionId(user + "-" + title + "-" + end).setUserId(user).setTitleId(title)
        .setServerId(SampleEvents.SERVER).setRegion(region).setIsp("telco-a").setDevice("web")
        .setStartTime(end - playing - 1000).setEndTime(end).setStartupTimeMs(800L)
        .setVideoStartFailure(false).setExitBeforeVideoStart(false).setPlaybackFailure(false)
        .setStallCount(0).setStalledMs(0).setPlayingMs(playing).setBitrateSwitches(1)
        .setCompletion(completion).setEndReason(completion >= 1 ? "ENDED" : "EXIT")
        .build();
  }

  /** qoe_minute's row of {@code title}: {@code plays} sessions started in the minute {@code hoursAgo} before now. */
  public static QoeMinute plays(String title, long plays, double hoursAgo) {
    return QoeMinute.newBuilder()
        .setMinute(NOW - (long) (hoursAgo * HOUR) / 60_000 * 60_000).setDimension("title").setKey(title)
        .setAttempts(plays).setPlays(plays).setErrors(0).setConcurrentSessions(plays)
        .build();
  }

  public static Recommendation pick(String user, int rank, String title, String model) {
    return Recommendation.newBuilder().setUserId(user).setRank(rank).setTitleId(title).setScore(1.0 / rank)
        .setModelVersion(model).build();
  }

  public static UserRating rating(String user, String title, int stars, long ratedAt) {
    return UserRating.newBuilder().setUserId(user).setTitleId(title).setStars(stars).setRatedAt(ratedAt).build();
  }
}
