package io.caudal.edge.viewer;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Viewers who may sign in to the app: a viewers file with one {@code name:plan:bcrypt-hash} per
 * line ({@code #} starts a comment; the plan is {@code svod} or {@code tvod}). The file never holds
 * a password. In demo mode the demo viewers ({@code u00001} ... , the simulator's ids, so each has
 * a viewing history) sign in without one; every fourth of them rents (TVOD), the others subscribe.
 */
public final class ViewerAccounts {

  /** bcrypt cost: 2^12 rounds, about a quarter second per check on a server core. */
  public static final int COST = 12;

  /** The ids that may play and rate: the rules of ratings' and events' user ids. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
  private static final Pattern HASH = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");
  private static final int MIN_PASSWORD_CHARS = 8;
  /** A real hash checked for unknown names, so a wrong name costs as long as a wrong password. */
  private static final String DUMMY_HASH = hash("not a real password".toCharArray(), COST);

  private record Account(Plan plan, String hash) {}

  private final Map<String, Account> accounts;
  private final Map<String, Viewer> demoViewers;

  private ViewerAccounts(Map<String, Account> accounts, Map<String, Viewer> demoViewers) {
    this.accounts = Collections.unmodifiableMap(new LinkedHashMap<>(accounts));
    this.demoViewers = Collections.unmodifiableMap(new LinkedHashMap<>(demoViewers));
  }

  /** Nobody may sign in. */
  public static ViewerAccounts none() {
    return new ViewerAccounts(Map.of(), Map.of());
  }

  /**
   * The viewers of a file (when given) and the demo viewers (when {@code demoViewers} > 0).
   *
   * @throws IOException when the file cannot be read, or a line is malformed (naming the line)
   */
  public static ViewerAccounts load(Path usersFile, int demoViewers) throws IOException {
    Map<String, Account> accounts = usersFile == null ? Map.of() : read(usersFile);
    Map<String, Viewer> demo = new LinkedHashMap<>();
    for (int i = 1; i <= demoViewers; i++) {
      String id = demoId(i);
      if (!accounts.containsKey(id)) {
        demo.put(id, new Viewer(id, i % 4 == 0 ? Plan.TVOD : Plan.SVOD));
      }
    }
    return new ViewerAccounts(accounts, demo);
  }

  /** The simulator's spelling of its n-th player's user id. */
  static String demoId(int n) {
    return String.format("u%05d", n);
  }

  /** Whether anyone can sign in at all. */
  public boolean anyone() {
    return !accounts.isEmpty() || !demoViewers.isEmpty();
  }

  /** The demo viewers, in order; empty unless in demo mode. */
  public List<Viewer> demoViewers() {
    return new ArrayList<>(demoViewers.values());
  }

  /** The demo viewer of this id, if it is one. */
  public Optional<Viewer> demoViewer(String userId) {
    return Optional.ofNullable(userId == null ? null : demoViewers.get(userId));
  }

  /**
   * The viewer whose name and password these are. An unknown name costs a bcrypt check too, so the
   * time taken does not tell names that exist from names that do not; bcrypt compares in constant time.
   */
  public Optional<Viewer> verify(String userId, char[] password) {
    Account account = userId == null ? null : accounts.get(userId);
    BCrypt.Result result = BCrypt.verifyer().verify(password, (account == null ? DUMMY_HASH : account.hash()).toCharArray());
    return account != null && result.verified ? Optional.of(new Viewer(userId, account.plan())) : Optional.empty();
  }

  /** A bcrypt hash of a password at the given cost (4–31). */
  public static String hash(char[] password, int cost) {
    return BCrypt.withDefaults().hashToString(cost, password);
  }

  /**
   * Adds a viewer to the file (or replaces the viewer's plan and hash): a new file is written,
   * readable by its owner only, and renamed over the old one so a reader never sees half a file.
   *
   * @throws IllegalArgumentException naming what is wrong with the name or the password
   */
  public static void addViewer(Path file, String userId, Plan plan, char[] password) throws IOException {
    if (userId == null || !NAME.matcher(userId).matches()) {
      throw new IllegalArgumentException("viewer id '" + userId + "': use 1-64 letters, digits, '.', '_', '@' or '-'");
    }
    if (password.length < MIN_PASSWORD_CHARS) {
      throw new IllegalArgumentException("password for '" + userId + "': at least " + MIN_PASSWORD_CHARS + " characters");
    }
    Map<String, Account> accounts = Files.exists(file) ? read(file) : new LinkedHashMap<>();
    accounts.put(userId, new Account(plan, hash(password, COST)));
    StringBuilder text = new StringBuilder("# Caudal viewers: name:plan:bcrypt-hash (plan svod or tvod)\n");
    accounts.forEach((name, account) ->
        text.append(name).append(':').append(account.plan().spelling()).append(':').append(account.hash()).append('\n'));
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temp = Files.createTempFile(parent, ".viewers", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static Map<String, Account> read(Path file) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IOException("viewers file " + file + " does not exist (add a viewer with"
          + " bin/caudal edge --viewers-file FILE --add-viewer NAME --plan svod)", e);
    }
    Map<String, Account> accounts = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split(":", 3);
      if (parts.length != 3 || !NAME.matcher(parts[0]).matches() || !HASH.matcher(parts[2]).matches()
          || !(parts[1].equals("svod") || parts[1].equals("tvod"))) {
        throw new IOException(file + " line " + (i + 1) + ": expected name:svod|tvod:bcrypt-hash (e.g. from"
            + " bin/caudal edge --viewers-file FILE --add-viewer NAME --plan svod)");
      }
      accounts.put(parts[0], new Account(Plan.parse(parts[1]), parts[2]));
    }
    return accounts;
  }
}
