package io.caudal.transcode.spark;

import io.caudal.schemas.CatalogEntry;
import io.caudal.schemas.Tables;
import io.caudal.schemas.TitleKeys;
import io.caudal.schemas.protect.TitleKeyStore;
import io.caudal.transcode.TranscodeException;
import java.io.IOException;
import java.io.Serializable;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

/**
 * Where titles live under the root, through Hadoop's FileSystem so that the same code runs on a
 * local folder and on HDFS. A title is built under {@code vod/.staging/} and appears under
 * {@code vod/<titleId>/} in one rename; its catalog row is one Parquet file, also renamed into
 * place, so readers never see half a title or half a row.
 */
public final class TitleStore implements Serializable {
  private final String root;

  public TitleStore(String root) {
    this.root = root;
  }

  public Path titleDir(String titleId) {
    return new Path(root, "vod/" + titleId);
  }

  public Path catalogFile(String titleId) {
    return new Path(Tables.CATALOG.location(root), titleId + ".parquet");
  }

  /** A fresh staging folder for one attempt at a title; fails clearly if the root is read-only. */
  public Path createStaging(Configuration conf, String titleId) {
    Path staging = new Path(root, "vod/.staging/" + titleId + "-" + UUID.randomUUID());
    try {
      FileSystem fs = fileSystem(conf, staging);
      if (!fs.mkdirs(staging)) {
        throw new IOException("mkdirs returned false");
      }
      return staging;
    } catch (IOException | RuntimeException e) {
      throw new TranscodeException("root " + root + " cannot be written: " + rootCause(e));
    }
  }

  public boolean isPublished(Configuration conf, String titleId) throws IOException {
    Path dir = titleDir(titleId);
    return dir.getFileSystem(conf).exists(dir);
  }

  public boolean hasCatalogRow(Configuration conf, String titleId) throws IOException {
    Path file = catalogFile(titleId);
    return file.getFileSystem(conf).exists(file);
  }

  /**
   * Moves a verified staging folder to {@code vod/<titleId>} in one rename; a protected title's
   * keys are stored first (under {@code keys/}, never {@code vod/}), so a title whose keys could
   * not be stored is never published.
   *
   * @param keys the protected title's wrapped keys, or null for a clear title
   */
  public void publish(Configuration conf, Path staging, String titleId, TitleKeys keys) throws IOException {
    if (keys != null) {
      try {
        new TitleKeyStore(root, conf).write(keys);
      } catch (IOException | RuntimeException e) {
        throw new TranscodeException("title " + titleId + " not published: its keys cannot be stored under "
            + root + "/" + TitleKeyStore.FOLDER + ": " + rootCause(e));
      }
    }
    Path target = titleDir(titleId);
    FileSystem fs = target.getFileSystem(conf);
    fs.mkdirs(target.getParent());
    if (!fs.rename(staging, target)) {
      throw new IOException("cannot rename " + staging + " to " + target + (fs.exists(target) ? " (it exists)" : ""));
    }
  }

  /** Writes the title's catalog row to a hidden file, then renames it into the table. */
  public void addCatalogRow(Configuration conf, CatalogEntry entry) throws IOException {
    Path target = catalogFile(entry.getTitleId());
    Path temp = new Path(target.getParent(), "." + entry.getTitleId() + "-" + UUID.randomUUID() + ".parquet.tmp");
    FileSystem fs = fileSystem(conf, target);
    try (ParquetWriter<CatalogEntry> writer = AvroParquetWriter.<CatalogEntry>builder(HadoopOutputFile.fromPath(temp, conf))
        .withSchema(CatalogEntry.getClassSchema())
        .withDataModel(org.apache.avro.specific.SpecificData.get())
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .build()) {
      writer.write(entry);
    }
    if (!fs.rename(temp, target)) {
      fs.delete(temp, false);
      if (!fs.exists(target)) {
        throw new IOException("cannot rename catalog row into " + target);
      }
    }
  }

  public void deleteQuietly(Configuration conf, Path path) {
    try {
      path.getFileSystem(conf).delete(path, true);
    } catch (IOException ignored) {
      // Best effort: a leftover staging folder is hidden and never published.
    }
  }

  /**
   * The FileSystem of {@code path}. On a local root it writes no .crc side files: the players
   * and the edge read these folders as they are.
   */
  static FileSystem fileSystem(Configuration conf, Path path) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    fs.setWriteChecksum(false);
    return fs;
  }

  public static void write(Configuration conf, Path path, byte[] bytes) throws IOException {
    try (FSDataOutputStream out = fileSystem(conf, path).create(path, true)) {
      out.write(bytes);
    }
  }

  static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
