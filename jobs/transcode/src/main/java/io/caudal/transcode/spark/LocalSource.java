package io.caudal.transcode.spark;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The demuxer needs a seekable local file, so each JVM copies the source out of the FileSystem
 * once and keeps it for the other tasks of the same title.
 */
final class LocalSource {
  private LocalSource() {}

  /** A local copy of {@code uri}, made once per JVM for a given path, size and modification time. */
  static synchronized File copyOf(Configuration conf, String uri) throws IOException {
    Path path = new Path(uri);
    FileSystem fs = path.getFileSystem(conf);
    FileStatus status = fs.getFileStatus(path);
    String key = sha256Hex((status.getPath() + "|" + status.getLen() + "|" + status.getModificationTime())
        .getBytes(StandardCharsets.UTF_8)).substring(0, 24);
    File dir = new File(System.getProperty("java.io.tmpdir"), "caudal-sources/" + key);
    File copy = new File(dir, "source" + extension(path.getName()));
    if (copy.isFile() && copy.length() == status.getLen()) {
      return copy;
    }
    Files.createDirectories(dir.toPath());
    // Executors on one machine share the folder: each copies to a file of its own and renames it
    // over the copy, so no task ever reads a file another JVM is still writing.
    java.nio.file.Path partial = Files.createTempFile(dir.toPath(), copy.getName() + ".", ".part");
    try {
      try (InputStream in = fs.open(path); OutputStream out = Files.newOutputStream(partial)) {
        in.transferTo(out);
      }
      Files.move(partial, copy.toPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
    return copy;
  }

  /** SHA-256 of a file's bytes: the content fingerprint a titleId is derived from. */
  static String contentHash(File file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file.toPath()), sha256())) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    }
  }

  private static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 && name.length() - dot <= 6 ? name.substring(dot) : "";
  }

  static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
