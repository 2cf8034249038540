package io.caudal.schemas.protect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.schemas.ContentKey;
import io.caudal.schemas.ProtectionScheme;
import io.caudal.schemas.TitleKeys;
import io.caudal.schemas.TrackClass;
import io.caudal.schemas.cli.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TitleKeyStoreTest {

  private static final byte[] CONTENT_KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
  private static final String KID = "0123456789abcdef0123456789abcdef";

  @TempDir Path root;

  @Test
  void storesKeysOnlyWrappedAndGivesThemBackWithTheSameMaster() throws Exception {
    MasterKey master = MasterKey.resolve(root.toString(), null, null);
    TitleKeys keys = keysOf("t-1", master);
    TitleKeyStore store = new TitleKeyStore(root.toUri().toString(), new Configuration());
    store.write(keys);

    Path file = root.resolve("keys/t-1.json");
    assertThat(Files.readString(file)).doesNotContain(HexFormat.of().formatHex(CONTENT_KEY));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(store.read("t-1")).contains(keys);
    assertThat(store.read("t-2")).isEmpty();
    assertThat(store.readAll()).containsExactly(keys);
    Map<String, byte[]> clear = MasterKey.resolve(root.toString(), null, null).unwrap(keys);
    assertThat(clear.get(KID)).isEqualTo(CONTENT_KEY);
    assertThat(Files.list(root.resolve("keys")).map(Path::toString)).noneMatch(name -> name.endsWith(".tmp"));
  }

  @Test
  void namesAWrongMasterKeyInsteadOfReturningGarbage() {
    MasterKey one = MasterKey.parse("11".repeat(32), "test");
    MasterKey other = MasterKey.parse("22".repeat(32), "test");
    assertThatThrownBy(() -> other.unwrap(keysOf("t-1", one)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("master key " + one.id());
  }

  @Test
  void aSharedRootNeverMakesItsOwnMasterKey() throws Exception {
    assertThatThrownBy(() -> MasterKey.resolve("hdfs://namenode:8020/caudal", null, null))
        .isInstanceOf(UsageException.class).hasMessageContaining("--key-master-file");
    assertThatThrownBy(() -> MasterKey.parse("not a key", "$CAUDAL_KEY_MASTER"))
        .isInstanceOf(UsageException.class).hasMessageContaining("$CAUDAL_KEY_MASTER");
    Path file = root.resolve("master");
    Files.writeString(file, "33".repeat(32) + "\n");
    assertThat(MasterKey.resolve("hdfs://namenode:8020/caudal", file, null).id())
        .isEqualTo(MasterKey.parse("33".repeat(32), "x").id());
  }

  private static TitleKeys keysOf(String titleId, MasterKey master) {
    return TitleKeys.newBuilder()
        .setTitleId(titleId)
        .setScheme(ProtectionScheme.CBCS)
        .setMasterKeyId(master.id())
        .setCreatedAt(1_741_950_000_000L)
        .setKeys(List.of(new ContentKey(TrackClass.HD, KID, master.wrap(CONTENT_KEY))))
        .build();
  }
}
