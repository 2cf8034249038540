package io.caudal.schemas.protect;

import io.caudal.schemas.cli.UsageException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/** Secrets a local Caudal root makes for itself on first use (edge's token secret, the key master). */
public final class LocalSecrets {

  private static final SecureRandom RANDOM = new SecureRandom();

  private LocalSecrets() {}

  /**
   * The folder of a local root ({@code file:} URI or a plain path), or empty for a shared one
   * (HDFS, say), where no secret may be made up on one machine.
   *
   * @throws UsageException when the root is neither a URI nor a path
   */
  public static Optional<Path> localFolder(String root) {
    URI uri;
    try {
      uri = root.contains("://") ? URI.create(root) : Path.of(root).toAbsolutePath().toUri();
    } catch (IllegalArgumentException e) {
      throw new UsageException("--root must be a URI or a local folder, got '" + root + "'");
    }
    return "file".equals(uri.getScheme()) ? Optional.of(Path.of(uri.getPath())) : Optional.empty();
  }

  /**
   * The secret in {@code file}, made first (32 random bytes, as hex) when there is none: written
   * whole to a private file, then hard-linked into place, which fails if another process got there
   * first. Every process then reads the one that won.
   */
  public static String readOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      createIfAbsent(file);
    }
    return Files.readString(file).strip();
  }

  private static void createIfAbsent(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Path draft = Files.createTempFile(file.getParent(), file.getFileName() + "-", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      byte[] random = new byte[32];
      RANDOM.nextBytes(random);
      Files.writeString(draft, HexFormat.of().formatHex(random));
      Files.createLink(file, draft);
    } catch (FileAlreadyExistsException e) {
      // Another process made it between our look and our link: theirs is the secret.
    } finally {
      Files.delete(draft);
    }
  }
}
