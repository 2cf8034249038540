package io.caudal.edge.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The viewers file: its lines, its errors, adding a viewer, and the demo viewers. */
class ViewerAccountsTest {

  @TempDir Path dir;

  @Test
  void addsViewersToAnOwnerOnlyFileAndChecksTheirPasswords() throws Exception {
    Path file = dir.resolve("viewers.txt");
    ViewerAccounts.addViewer(file, "ana", Plan.SVOD, "first password".toCharArray());
    ViewerAccounts.addViewer(file, "ben", Plan.TVOD, "second password".toCharArray());
    ViewerAccounts.addViewer(file, "ana", Plan.TVOD, "a new password".toCharArray());

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(Files.readString(file)).doesNotContain("password").contains("ana:tvod:$2").contains("ben:tvod:$2");
    ViewerAccounts accounts = ViewerAccounts.load(file, 0);
    assertThat(accounts.verify("ana", "a new password".toCharArray())).contains(new Viewer("ana", Plan.TVOD));
    assertThat(accounts.verify("ana", "first password".toCharArray())).isEmpty();
    assertThat(accounts.verify("nobody", "first password".toCharArray())).isEmpty();
    assertThat(accounts.demoViewers()).isEmpty();
  }

  @Test
  void refusesBadNamesShortPasswordsAndMalformedLinesNamingThem() throws Exception {
    Path file = dir.resolve("viewers.txt");
    assertThatThrownBy(() -> ViewerAccounts.addViewer(file, "a b", Plan.SVOD, "long enough".toCharArray()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("viewer id 'a b': use 1-64 letters");
    assertThatThrownBy(() -> ViewerAccounts.addViewer(file, "ana", Plan.SVOD, "short".toCharArray()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("password for 'ana': at least 8 characters");
    Files.writeString(file, "# viewers\nana:svod:" + ViewerAccounts.hash("a password".toCharArray(), 4)
        + "\nben:avod:" + ViewerAccounts.hash("a password".toCharArray(), 4) + "\n");
    assertThatThrownBy(() -> ViewerAccounts.load(file, 0)).isInstanceOf(IOException.class)
        .hasMessageContaining("line 3: expected name:svod|tvod:bcrypt-hash");
    assertThatThrownBy(() -> ViewerAccounts.load(dir.resolve("missing.txt"), 0)).isInstanceOf(IOException.class)
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> Plan.parse("avod")).hasMessage("plan 'avod': use svod or tvod");
  }

  @Test
  void demoViewersAreTheSimulatorsUserIdsEveryFourthOnRentals() throws Exception {
    ViewerAccounts accounts = ViewerAccounts.load(null, 8);
    assertThat(accounts.demoViewers()).extracting(Viewer::userId)
        .containsExactly("u00001", "u00002", "u00003", "u00004", "u00005", "u00006", "u00007", "u00008");
    assertThat(accounts.demoViewer("u00008")).contains(new Viewer("u00008", Plan.TVOD));
    assertThat(accounts.demoViewer("u00009")).isEmpty();
    assertThat(ViewerAccounts.none().anyone()).isFalse();
  }
}
