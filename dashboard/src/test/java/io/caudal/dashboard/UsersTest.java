package io.caudal.dashboard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersTest {

  @TempDir Path dir;

  @Test
  void storesABcryptHashNotThePassword() throws Exception {
    Path file = dir.resolve("users.txt");
    Users.addUser(file, "alice", "s3cret-enough".toCharArray());

    String text = Files.readString(file);
    assertThat(text).doesNotContain("s3cret-enough").containsPattern("alice:\\$2a\\$12\\$");
    Users users = Users.load(file);
    assertThat(users.verify("alice", "s3cret-enough".toCharArray())).isTrue();
    assertThat(users.verify("alice", "s3cret-enougH".toCharArray())).isFalse();
    assertThat(users.verify("bob", "s3cret-enough".toCharArray())).isFalse();
  }

  @Test
  void addingAUserKeepsTheOthersAndReplacesTheirOwnHash() throws Exception {
    Path file = dir.resolve("users.txt");
    Users.addUser(file, "alice", "first password".toCharArray());
    Users.addUser(file, "bob", "bobs password".toCharArray());
    Users.addUser(file, "alice", "second password".toCharArray());

    Users users = Users.load(file);
    assertThat(users.names()).containsExactly("alice", "bob");
    assertThat(users.verify("alice", "second password".toCharArray())).isTrue();
    assertThat(users.verify("alice", "first password".toCharArray())).isFalse();
    assertThat(users.verify("bob", "bobs password".toCharArray())).isTrue();
  }

  @Test
  void refusesAMalformedLineNamingIt() throws Exception {
    Path file = dir.resolve("users.txt");
    Files.writeString(file, "# operators\nalice:plaintext-password\n");
    assertThatThrownBy(() -> Users.load(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("line 2: expected name:bcrypt-hash");
  }

  @Test
  void refusesShortPasswordsAndOddNames() {
    assertThatThrownBy(() -> Users.addUser(dir.resolve("u"), "alice", "short".toCharArray()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("password for 'alice': at least 8 characters");
    assertThatThrownBy(() -> Users.addUser(dir.resolve("u"), "al:ice", "long enough".toCharArray()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("user name 'al:ice'");
  }

  @Test
  void firstRunWithoutATerminalWritesThePasswordOnlyToAnOwnerOnlyFile() throws Exception {
    Path file = dir.resolve("sub/users.txt");
    ByteArrayOutputStream messages = new ByteArrayOutputStream();
    Users users = DashboardMain.loadOrCreateUsers(file, Optional.empty(), new PrintStream(messages, true, UTF_8));

    assertThat(users.names()).containsExactly(DashboardMain.FIRST_USER);
    assertThat(Files.readString(file)).contains(DashboardMain.FIRST_USER + ":$2a$12$");
    Path passwordFile = dir.resolve("sub").resolve(DashboardMain.FIRST_PASSWORD_FILE);
    assertThat(Files.getPosixFilePermissions(passwordFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    String password = Files.readString(passwordFile).strip();
    assertThat(users.verify(DashboardMain.FIRST_USER, password.toCharArray())).isTrue();
    assertThat(messages.toString(UTF_8)).contains(passwordFile.toString()).doesNotContain(password);
  }

  @Test
  void firstRunOnATerminalShowsThePasswordThereAndWritesNoFile() throws Exception {
    Path file = dir.resolve("users.txt");
    StringWriter terminal = new StringWriter();
    ByteArrayOutputStream messages = new ByteArrayOutputStream();
    Users users = DashboardMain.loadOrCreateUsers(
        file, Optional.of(new PrintWriter(terminal)), new PrintStream(messages, true, UTF_8));

    String shown = terminal.toString();
    String password = shown.substring(shown.indexOf("password: ") + "password: ".length()).lines().findFirst().orElseThrow();
    assertThat(users.verify(DashboardMain.FIRST_USER, password.toCharArray())).isTrue();
    assertThat(messages.toString(UTF_8)).isEmpty();
    assertThat(dir.resolve(DashboardMain.FIRST_PASSWORD_FILE)).doesNotExist();
  }

  @Test
  void firstRunNeverOverwritesAnEarlierPasswordFile() throws Exception {
    Path file = dir.resolve("users.txt");
    Path passwordFile = dir.resolve(DashboardMain.FIRST_PASSWORD_FILE);
    Files.writeString(passwordFile, "planted by someone else\n");

    assertThatThrownBy(() -> DashboardMain.loadOrCreateUsers(file, Optional.empty(), new PrintStream(new ByteArrayOutputStream())))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(passwordFile + " exists already");
    assertThat(Files.readString(passwordFile)).isEqualTo("planted by someone else\n");
    assertThat(file).doesNotExist();
  }
}
