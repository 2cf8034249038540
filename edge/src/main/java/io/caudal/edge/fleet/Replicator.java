package io.caudal.edge.fleet;

import io.caudal.edge.http.EdgeMetrics;
import io.caudal.schemas.ReplicationRequest;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out replication requests addressed to this server: copies the title from the library
 * ({@code <root>/vod/<title>}) into this server's store through Hadoop's FileSystem (any scheme to
 * any scheme), into a hidden folder first, verifies every file's size against the source, then
 * renames it into place. A title is held only once that rename is done. One copy at a time.
 */
public final class Replicator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Replicator.class);

  private final FileSystem libraryFs;
  private final Path library;
  private final FileSystem storeFs;
  private final Path store;
  private final Configuration conf;
  private final EdgeMetrics metrics;
  private final Consumer<String> onHeld;
  private final ExecutorService copier = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "edge-replicator");
    t.setDaemon(true);
    return t;
  });
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final AtomicLong pendingBytes = new AtomicLong();

  /** @param onHeld called with the title id once its copy is complete and verified */
  public Replicator(FileSystem libraryFs, Path library, FileSystem storeFs, Path store, Configuration conf,
      EdgeMetrics metrics, Consumer<String> onHeld) {
    this.libraryFs = libraryFs;
    this.library = library;
    this.storeFs = storeFs;
    this.store = store;
    this.conf = conf;
    this.metrics = metrics;
    this.onHeld = onHeld;
  }

  /** Queues a request unless the title is held or already being copied. */
  public void request(ReplicationRequest request) {
    String title = request.getTitleId();
    if (!validTitleId(title)) {
      metrics.replication("refused");
      LOG.warn("refused replication of '{}': not a title id", title);
      return;
    }
    if (!pending.add(title)) {
      return;
    }
    copier.execute(() -> {
      try {
        if (storeFs.exists(new Path(store, title))) {
          metrics.replication("already_held");
          return;
        }
        copy(title);
        metrics.replication("done");
        onHeld.accept(title);
      } catch (IOException | RuntimeException e) {
        metrics.replication("failed");
        LOG.error("replication of {} failed", title, e);
      } finally {
        pending.remove(title);
      }
    });
  }

  /** Bytes queued for copying into the store and not yet written. */
  public long pendingBytes() {
    return pendingBytes.get();
  }

  private void copy(String title) throws IOException {
    Path source = new Path(library, title);
    Map<String, Long> expected = sizes(libraryFs, source);
    if (expected.isEmpty()) {
      throw new IOException("the library has no files for title " + title + " at " + source);
    }
    long total = expected.values().stream().mapToLong(Long::longValue).sum();
    pendingBytes.addAndGet(total);
    Path staging = new Path(store, "." + title + ".copying-" + UUID.randomUUID());
    try {
      storeFs.mkdirs(store);
      if (!FileUtil.copy(libraryFs, source, storeFs, staging, false, conf)) {
        throw new IOException("copy of " + source + " to " + staging + " failed");
      }
      Map<String, Long> copied = sizes(storeFs, staging);
      if (!copied.equals(expected)) {
        throw new IOException("copy of " + title + " does not match its source: " + expected.size()
            + " files expected, " + copied.size() + " copied, or sizes differ");
      }
      if (!storeFs.rename(staging, new Path(store, title))) {
        throw new IOException("cannot rename " + staging + " into place");
      }
    } finally {
      pendingBytes.addAndGet(-total);
      if (storeFs.exists(staging)) {
        storeFs.delete(staging, true);
      }
    }
  }

  private static Map<String, Long> sizes(FileSystem fs, Path dir) throws IOException {
    Map<String, Long> sizes = new TreeMap<>();
    if (!fs.exists(dir)) {
      return sizes;
    }
    String prefix = fs.makeQualified(dir).toUri().getPath();
    RemoteIterator<LocatedFileStatus> files = fs.listFiles(dir, true);
    while (files.hasNext()) {
      FileStatus file = files.next();
      String path = file.getPath().toUri().getPath();
      sizes.put(path.substring(prefix.length()), file.getLen());
    }
    return sizes;
  }

  /** Title ids are single path segments: no separators, no dots leading. */
  public static boolean validTitleId(String title) {
    return title != null && title.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*") && !title.contains("..");
  }

  @Override
  public void close() throws InterruptedException {
    copier.shutdownNow();
    copier.awaitTermination(5, TimeUnit.SECONDS);
  }
}
