package io.caudal.dashboard;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Operators who may log in: a users file with one {@code name:bcrypt-hash} per line ({@code #}
 * starts a comment). Passwords are hashed with bcrypt (cost {@value #COST}); the file never holds
 * a password.
 */
public final class Users {

  /** bcrypt cost: 2^12 rounds, about a quarter second per check on a server core. */
  static final int COST = 12;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
  private static final int MIN_PASSWORD_CHARS = 8;
  /** A real hash checked for unknown names, so a wrong name costs as long as a wrong password. */
  private static final String DUMMY_HASH = hash("not a real password".toCharArray());

  private final Map<String, String> hashes;

  private Users(Map<String, String> hashes) {
    this.hashes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hashes));
  }

  /** Reads a users file; a malformed line is an error naming the line. */
  public static Users load(Path file) throws IOException {
    return new Users(read(file));
  }

  /** Users from name → hash pairs (tests and the first-run file). */
  public static Users of(Map<String, String> hashes) {
    return new Users(hashes);
  }

  /** The names of the operators. */
  public List<String> names() {
    return new ArrayList<>(hashes.keySet());
  }

  /** Whether this name and password match a user. */
  public boolean verify(String name, char[] password) {
    String hash = name == null ? null : hashes.get(name);
    BCrypt.Result result =
        BCrypt.verifyer().verify(password, (hash == null ? DUMMY_HASH : hash).toCharArray());
    return hash != null && result.verified;
  }

  /** A bcrypt hash of a password. */
  public static String hash(char[] password) {
    return BCrypt.withDefaults().hashToString(COST, password);
  }

  /** Checks a user name and a password chosen by a person; throws naming what is wrong. */
  public static void checkNewUser(String name, char[] password) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "user name '" + name + "': use 1-64 letters, digits, '.', '_', '@' or '-'");
    }
    if (password.length < MIN_PASSWORD_CHARS) {
      throw new IllegalArgumentException(
          "password for '" + name + "': at least " + MIN_PASSWORD_CHARS + " characters");
    }
  }

  /**
   * Adds a user to the file (or replaces the user's hash), writing a new file and renaming it over
   * the old one so a reader never sees half a file.
   */
  public static void addUser(Path file, String name, char[] password) throws IOException {
    checkNewUser(name, password);
    Map<String, String> hashes = Files.exists(file) ? read(file) : new LinkedHashMap<>();
    hashes.put(name, hash(password));
    StringBuilder text = new StringBuilder("# Caudal dashboard operators: name:bcrypt-hash\n");
    hashes.forEach((user, hash) -> text.append(user).append(':').append(hash).append('\n'));
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temp = Files.createTempFile(parent, ".users", ".tmp");
    try {
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // Not a POSIX file system: keep the default permissions.
    }
    Files.writeString(temp, text, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** A random password for the first-run user: 18 bytes, URL-safe base64. */
  public static String generatePassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static Map<String, String> read(Path file) throws IOException {
    Map<String, String> hashes = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      String name = colon < 0 ? "" : line.substring(0, colon);
      String hash = colon < 0 ? "" : line.substring(colon + 1);
      if (!NAME.matcher(name).matches() || !hash.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
        throw new IOException(
            file + " line " + (i + 1) + ": expected name:bcrypt-hash (e.g. from"
                + " bin/caudal dashboard --add-user NAME)");
      }
      hashes.put(name, hash);
    }
    return hashes;
  }
}
