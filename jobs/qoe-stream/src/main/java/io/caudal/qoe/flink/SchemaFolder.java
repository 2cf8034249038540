package io.caudal.qoe.flink;

import io.caudal.qoe.core.NewerSchemas;
import io.caudal.schemas.JsonAvroCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versions of the input contracts released after this job was built, as {@code .avsc} files under
 * {@code <root>/schemas/} (a local folder or HDFS, through Flink's file systems): a team that ships
 * a producer with a new optional field drops its schema there first, and the running job reads its
 * events from then on instead of dead-lettering them. Each file is learnt once (again when it
 * changes); one that does not parse or is not compatible both ways with the contract it names is
 * skipped with its reason logged, and its events stay dead letters ({@code unknown_schema}).
 *
 * <p>The folder is looked at when a record's fingerprint is unknown, at most every
 * {@link #RESCAN_MS}, so a stream of unknown records does not list the folder for each.
 */
public final class SchemaFolder implements NewerSchemas {
  static final String FOLDER = "schemas";
  static final long RESCAN_MS = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(SchemaFolder.class);

  private final String folder;
  private final long rescanMs;
  /** Each file learnt or refused, by path, with the modification time it had then. */
  private final Map<String, Long> seen = new HashMap<>();
  private long lastScan = Long.MIN_VALUE;

  /** The folder {@code <root>/schemas/}. */
  public static SchemaFolder under(String root) {
    return new SchemaFolder(root, RESCAN_MS);
  }

  SchemaFolder(String root, long rescanMs) {
    this.folder = root.replaceAll("/+$", "") + "/" + FOLDER;
    this.rescanMs = rescanMs;
  }

  @Override
  public synchronized boolean learnNew() {
    long now = System.currentTimeMillis();
    if (lastScan != Long.MIN_VALUE && now - lastScan < rescanMs) {
      return false;
    }
    lastScan = now;
    try {
      return scan();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the schemas under " + folder, e);
    }
  }

  private boolean scan() throws IOException {
    Path path = new Path(folder);
    FileSystem fs = path.getFileSystem();
    if (!fs.exists(path)) {
      return false;
    }
    boolean learnt = false;
    for (FileStatus file : fs.listStatus(path)) {
      String name = file.getPath().toString();
      if (file.isDir() || !name.endsWith(".avsc") || Long.valueOf(file.getModificationTime()).equals(seen.get(name))) {
        continue;
      }
      seen.put(name, file.getModificationTime());
      try (InputStream in = fs.open(file.getPath())) {
        Schema schema = new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        long fingerprint = JsonAvroCodec.learn(schema);
        LOG.info("learnt {} (fingerprint {}) from {}", schema.getFullName(), Long.toHexString(fingerprint), name);
        learnt = true;
      } catch (SchemaParseException | IllegalArgumentException e) {
        LOG.warn("schema file {} skipped: {}", name, e.getMessage());
      }
    }
    return learnt;
  }
}
