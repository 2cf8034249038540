package io.caudal.dashboard;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Files holding a secret: readable and writable by their owner only, from the moment they exist. */
final class SecretFiles {

  private SecretFiles() {}

  /**
   * Creates {@code file} with mode 0600 (create-if-absent, so two starts cannot both write it) and
   * writes {@code text} into it.
   *
   * @throws IOException when the file exists already (naming it), or the file system has no POSIX
   *     permissions, or the write fails
   */
  static void createOwnerOnly(Path file, String text) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try {
      // The mode is given at creation, so no other user can open the file between creating and chmod.
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      throw new IOException(file + " exists already: it holds an earlier generated password; read it,"
          + " or remove it and start again, or add a user with bin/caudal dashboard --add-user NAME", e);
    } catch (UnsupportedOperationException e) {
      throw new IOException("cannot create " + file + " readable by its owner only (no POSIX permissions"
          + " there); add a user with bin/caudal dashboard --add-user NAME instead", e);
    }
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.WRITE)) {
      out.write(text);
    }
  }
}
