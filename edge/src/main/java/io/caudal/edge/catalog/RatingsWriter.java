package io.caudal.edge.catalog;

import io.caudal.schemas.UserRating;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificData;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps 1–5 star ratings as rows of the ratings table: ratings arriving together are written as
 * one Parquet file, first under a hidden name, then renamed into {@code <root>/tables/ratings/}, so
 * readers never see half a file. A rating is acknowledged once its file is in place.
 */
public final class RatingsWriter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RatingsWriter.class);
  /** How long a rating may wait for others to share its file. */
  static final long BATCH_MILLIS = 250;
  static final int MAX_BATCH = 10_000;

  private final FileSystem fs;
  private final Path dir;
  private final Configuration conf;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread flusher;
  private final Runnable onPublished;
  private volatile boolean running = true;

  public RatingsWriter(FileSystem fs, Path dir, Configuration conf) {
    this(fs, dir, conf, () -> { });
  }

  /** @param onPublished called after each file is in place (the rating averages take it up) */
  public RatingsWriter(FileSystem fs, Path dir, Configuration conf, Runnable onPublished) {
    this.fs = fs;
    this.dir = dir;
    this.conf = conf;
    this.onPublished = onPublished;
    this.flusher = new Thread(this::run, "edge-ratings-writer");
    this.flusher.setDaemon(true);
    this.flusher.start();
  }

  /**
   * Queues a rating; the future completes once it is in a published file (or fails with why not).
   *
   * @throws IllegalArgumentException when {@link RatingValidator} refuses the rating
   */
  public CompletableFuture<Void> add(UserRating rating) {
    RatingValidator.validate(rating);
    CompletableFuture<Void> done = new CompletableFuture<>();
    queue.add(new Pending(rating, done));
    return done;
  }

  private void run() {
    while (running || !queue.isEmpty()) {
      List<Pending> batch = new ArrayList<>();
      try {
        Pending first = queue.poll(BATCH_MILLIS, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        Thread.sleep(BATCH_MILLIS);
      } catch (InterruptedException e) {
        running = false;
      }
      queue.drainTo(batch, MAX_BATCH - batch.size());
      try {
        write(batch.stream().map(Pending::rating).toList());
        batch.forEach(p -> p.done().complete(null));
        onPublished.run();
      } catch (IOException | RuntimeException e) {
        LOG.error("could not write {} ratings", batch.size(), e);
        batch.forEach(p -> p.done().completeExceptionally(e));
      }
    }
  }

  private void write(List<UserRating> ratings) throws IOException {
    String name = "ratings-" + System.currentTimeMillis() + "-" + UUID.randomUUID() + ".parquet";
    Path hidden = new Path(dir, "." + name);
    fs.mkdirs(dir);
    try (ParquetWriter<UserRating> writer = AvroParquetWriter.<UserRating>builder(HadoopOutputFile.fromPath(hidden, conf))
        .withSchema(UserRating.getClassSchema())
        .withDataModel(SpecificData.getForClass(UserRating.class))
        .withWriteMode(ParquetFileWriter.Mode.CREATE)
        .withConf(conf)
        .build()) {
      for (UserRating rating : ratings) {
        writer.write(rating);
      }
    }
    if (!fs.rename(hidden, new Path(dir, name))) {
      fs.delete(hidden, false);
      throw new IOException("cannot rename " + hidden + " into place");
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    flusher.join(5000);
  }

  private record Pending(UserRating rating, CompletableFuture<Void> done) {}
}
