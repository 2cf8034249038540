package io.caudal.schemas.protect;

import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.TitleKeys;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * The wrapped keys of protected titles, one JSON file per title under {@code <root>/keys/}, through
 * Hadoop's FileSystem (a local folder or HDFS). Beside {@code vod/}, never in it: what the origin
 * serves can never include a key.
 */
public final class TitleKeyStore {

  /** The folder under a root. */
  public static final String FOLDER = "keys";

  private static final Pattern TITLE_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final FsPermission OWNER_ONLY = new FsPermission((short) 0600);

  private final FileSystem fs;
  private final Path folder;

  public TitleKeyStore(String root, Configuration conf) throws IOException {
    String location = root.replaceAll("/+$", "") + "/" + FOLDER;
    this.fs = FileSystem.get(URI.create(location), conf);
    this.folder = new Path(location);
  }

  /**
   * Stores a title's keys whole: written to a hidden file, then renamed over any earlier one, so a
   * reader sees the old keys or the new ones and a failed write leaves nothing.
   */
  public void write(TitleKeys keys) throws IOException {
    Path target = fileOf(keys.getTitleId());
    Path draft = new Path(folder, "." + keys.getTitleId() + ".json." + System.nanoTime() + ".tmp");
    fs.mkdirs(folder, new FsPermission((short) 0700));
    try (OutputStream out = fs.create(draft, false)) {
      out.write(JsonAvroCodec.toJson(keys).getBytes(StandardCharsets.UTF_8));
    }
    try {
      fs.setPermission(draft, OWNER_ONLY);
      if (fs.exists(target) && !fs.delete(target, false)) {
        throw new IOException("cannot replace " + target);
      }
      if (!fs.rename(draft, target)) {
        throw new IOException("cannot rename " + draft + " to " + target);
      }
    } finally {
      fs.delete(draft, false);
    }
  }

  /** A title's keys, or empty when the title is clear (or unknown). */
  public Optional<TitleKeys> read(String titleId) throws IOException {
    try (InputStream in = fs.open(fileOf(titleId))) {
      return Optional.of(JsonAvroCodec.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), TitleKeys.class));
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
  }

  /** Every stored title's keys; none when the folder does not exist yet. */
  public List<TitleKeys> readAll() throws IOException {
    List<TitleKeys> all = new ArrayList<>();
    if (!fs.exists(folder)) {
      return all;
    }
    for (FileStatus file : fs.listStatus(folder)) {
      String name = file.getPath().getName();
      if (file.isFile() && name.endsWith(".json") && !name.startsWith(".")) {
        read(name.substring(0, name.length() - ".json".length())).ifPresent(all::add);
      }
    }
    return all;
  }

  private Path fileOf(String titleId) {
    if (!TITLE_ID.matcher(titleId).matches()) {
      throw new IllegalArgumentException("not a title id: " + titleId);
    }
    return new Path(folder, titleId + ".json");
  }
}
