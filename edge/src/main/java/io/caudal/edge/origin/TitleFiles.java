package io.caudal.edge.origin;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IOUtils;

/**
 * Reads a title's files through Hadoop's FileSystem: from this server's store when it holds the
 * title, else from the published library ({@code <root>/vod/}). Recent files stay in memory in a
 * size-bounded cache (the proxy cache for VOD): segments never change once published, so a hit
 * costs no file system call.
 */
public final class TitleFiles {

  /** Larger files are streamed by nobody here: transcode's segments and manifests are far smaller. */
  static final long LARGEST_FILE = 256L << 20;

  private final FileSystem storeFs;
  private final Path store;
  private final FileSystem libraryFs;
  private final Path library;
  private final Cache<String, FileBytes> cache;

  public TitleFiles(FileSystem storeFs, Path store, FileSystem libraryFs, Path library, long cacheBytes) {
    this.storeFs = storeFs;
    this.store = store;
    this.libraryFs = libraryFs;
    this.library = library;
    this.cache = Caffeine.newBuilder()
        .maximumWeight(cacheBytes)
        .weigher((String key, FileBytes file) -> file.bytes().length + key.length())
        .build();
  }

  /**
   * One file of a title.
   *
   * @param titlePath {@code <title>/<file...>}, already checked for traversal
   * @return the file, or empty when neither the store nor the library has it
   */
  public Optional<Lookup> read(String titlePath) throws IOException {
    FileBytes cached = cache.getIfPresent(titlePath);
    if (cached != null) {
      return Optional.of(new Lookup(cached, true));
    }
    FileBytes loaded = load(storeFs, new Path(store, titlePath));
    if (loaded == null) {
      loaded = load(libraryFs, new Path(library, titlePath));
    }
    if (loaded == null) {
      return Optional.empty();
    }
    cache.put(titlePath, loaded);
    return Optional.of(new Lookup(loaded, false));
  }

  /** Forgets a title's cached files, after its copy in the store changed. */
  public void forget(String titleId) {
    cache.asMap().keySet().removeIf(key -> key.startsWith(titleId + "/"));
  }

  private static FileBytes load(FileSystem fs, Path path) throws IOException {
    FileStatus status;
    try {
      status = fs.getFileStatus(path);
    } catch (FileNotFoundException e) {
      return null;
    }
    if (!status.isFile()) {
      return null;
    }
    if (status.getLen() > LARGEST_FILE) {
      throw new IOException(path + " is larger than " + LARGEST_FILE + " bytes");
    }
    byte[] bytes = new byte[(int) status.getLen()];
    try (InputStream in = fs.open(path)) {
      IOUtils.readFully(in, bytes, 0, bytes.length);
    }
    String etag = "\"" + Long.toHexString(status.getModificationTime()) + "-" + Long.toHexString(bytes.length) + "\"";
    return new FileBytes(bytes, etag, status.getModificationTime());
  }

  /** A file's content and validators. */
  public record FileBytes(byte[] bytes, String etag, long modifiedMillis) {}

  /** A file and whether it came from the cache. */
  public record Lookup(FileBytes file, boolean cacheHit) {}
}
