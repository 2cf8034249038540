// Writes the tables edge's home rows are built from, at the size of bench/edge's home measurement:
// a catalog of TITLES titles in CATEGORIES categories, USERS viewers with PICKS recommendations each,
// SESSIONS sessions per viewer over the last week (each viewer prefers two categories), and the last
// day's plays per title in qoe_minute. Run by bench/edge with the source launcher on edge's classpath:
//
//   java -cp edge/target/caudal-edge.jar:$(cat edge/target/local-classpath.txt) bench/EdgeHomeTables.java ROOT USERS
import io.caudal.schemas.CatalogEntry;
import io.caudal.schemas.QoeMinute;
import io.caudal.schemas.QoeSession;
import io.caudal.schemas.Recommendation;
import io.caudal.schemas.Rung;
import io.caudal.schemas.Table;
import io.caudal.schemas.Tables;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

public class EdgeHomeTables {

  static final int TITLES = 200;
  static final int CATEGORIES = 8;
  static final int PICKS = 10;
  static final int SESSIONS = 3;
  static final String[] REGIONS = {"eu-west", "eu-east", "us-east", "sa-east"};

  public static void main(String[] args) throws Exception {
    String root = args[0];
    int users = Integer.parseInt(args[1]);
    long now = System.currentTimeMillis();
    Random random = new Random(42);

    List<CatalogEntry> catalog = new ArrayList<>();
    for (int t = 0; t < TITLES; t++) {
      catalog.add(CatalogEntry.newBuilder()
          .setTitleId(String.format("title-%03d", t)).setName("Title " + t).setCategory("category-" + t % CATEGORIES)
          .setDurationMs(600_000 + 10_000L * t).setWidth(640).setHeight(360).setHasVideo(true).setHasAudio(true)
          .setLadder(List.of(Rung.newBuilder().setRungId("360p").setWidth(640).setHeight(360).setCodecs("avc1.64001e")
              .setTargetKbps(800).setAverageKbps(780).setPeakKbps(900).setBytes(50_000_000L).build()))
          .setAudioBytes(5_000_000L).setSegmentDurationMs(4000).setSourceUri("file:///bench/" + t + ".mp4")
          .setCreatedAt(now - 3_600_000L * t).build());
    }
    write(root, Tables.CATALOG, "catalog.parquet", catalog);

    List<Recommendation> picks = new ArrayList<>(users * PICKS);
    List<QoeSession> sessions = new ArrayList<>(users * SESSIONS);
    for (int u = 0; u < users; u++) {
      String user = "u" + u;
      int[] tastes = {random.nextInt(CATEGORIES), random.nextInt(CATEGORIES)};
      for (int rank = 1; rank <= PICKS; rank++) {
        picks.add(Recommendation.newBuilder().setUserId(user).setRank(rank)
            .setTitleId(liked(random, tastes)).setScore(1.0 / rank).setModelVersion("bench-1").build());
      }
      String region = REGIONS[u % REGIONS.length];
      for (int s = 0; s < SESSIONS; s++) {
        String title = liked(random, tastes);
        long end = now - (long) (random.nextDouble() * 7 * 86_400_000L);
        double completion = random.nextDouble() < 0.3 ? 1.0 : random.nextDouble();
        long playing = (long) (completion * 600_000);
        sessions.add(QoeSession.newBuilder().setSessionId(user + "-" + s).setUserId(user).setTitleId(title)
            .setServerId("edge-bench").setRegion(region).setIsp("isp-" + u % 3).setDevice("web")
            .setStartTime(end - playing - 2000).setEndTime(end).setStartupTimeMs(900L)
            .setVideoStartFailure(false).setExitBeforeVideoStart(false).setPlaybackFailure(false)
            .setStallCount(0).setStalledMs(0).setPlayingMs(playing).setBitrateSwitches(2)
            .setCompletion(completion).setEndReason(completion >= 1 ? "ENDED" : "EXIT").build());
      }
    }
    write(root, Tables.RECOMMENDATIONS, "part-00000.parquet", picks);
    write(root, Tables.QOE_SESSIONS, "bench/part-00000.parquet", sessions);

    List<QoeMinute> minutes = new ArrayList<>();
    long hour = now / 3_600_000L * 3_600_000L;
    for (int h = 0; h < 24; h++) {
      for (CatalogEntry title : catalog) {
        long plays = random.nextInt(50);
        minutes.add(QoeMinute.newBuilder().setMinute(hour - h * 3_600_000L).setDimension("title")
            .setKey(title.getTitleId()).setAttempts(plays).setPlays(plays).setErrors(0)
            .setConcurrentSessions(plays).build());
      }
    }
    write(root, Tables.QOE_MINUTE, "bench/part-00000.parquet", minutes);
    System.err.printf("[bench] wrote %d titles, %d recommendations, %d sessions, %d qoe_minute rows under %s%n",
        catalog.size(), picks.size(), sessions.size(), minutes.size(), root);
  }

  /** Three times in four a title of one of the viewer's two categories. */
  static String liked(Random random, int[] tastes) {
    int t = random.nextInt(TITLES / CATEGORIES) * CATEGORIES
        + (random.nextInt(4) < 3 ? tastes[random.nextInt(2)] : random.nextInt(CATEGORIES));
    return String.format("title-%03d", t);
  }

  static <R extends SpecificRecord> void write(String root, Table<R> table, String file, List<R> rows) throws Exception {
    File target = new File(root, table.path() + "/" + file);
    target.getParentFile().mkdirs();
    File hidden = new File(target.getParentFile(), "." + target.getName());
    try (ParquetWriter<R> writer = AvroParquetWriter.<R>builder(
            HadoopOutputFile.fromPath(new Path(hidden.toURI()), new Configuration()))
        .withSchema(table.rowSchema())
        .withDataModel(SpecificData.getForClass(table.rowClass()))
        .build()) {
      for (R row : rows) {
        writer.write(row);
      }
    }
    if (!hidden.renameTo(target)) {
      throw new IllegalStateException("cannot rename " + hidden + " to " + target);
    }
  }
}
