package io.caudal.schemas.protect;

import io.caudal.schemas.ContentKey;
import io.caudal.schemas.TitleKeys;
import io.caudal.schemas.cli.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that wraps every content key at rest (RFC 3394 AES key wrap, the JDK's {@code AESWrap}):
 * content keys are stored only wrapped, so a copy of {@code <root>/keys/} alone unlocks nothing.
 */
public final class MasterKey {

  /** Environment variable holding the master key, as 64 hex digits or base64 of 32 bytes. */
  public static final String ENV = "CAUDAL_KEY_MASTER";
  /** Where a local root keeps the master key it made for itself. */
  public static final String LOCAL_FILE = ".key-master";

  private static final HexFormat HEX = HexFormat.of();

  private final SecretKey key;
  private final String id;

  private MasterKey(byte[] bytes) {
    this.key = new SecretKeySpec(bytes, "AES");
    try {
      this.id = HEX.formatHex(Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(bytes), 8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** A master key from its text: 64 hex digits or base64 of 32 bytes; {@code from} names where it came from. */
  public static MasterKey parse(String text, String from) {
    String value = text.strip();
    byte[] bytes;
    try {
      bytes = value.length() == 64 ? HEX.parseHex(value) : Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      bytes = new byte[0];
    }
    if (bytes.length != 32) {
      throw new UsageException(from + " must hold a 256-bit key: 64 hex digits or base64 of 32 bytes");
    }
    return new MasterKey(bytes);
  }

  /**
   * The master key for a root: from {@code masterFile} if given, else from {@link #ENV}, else, for a
   * local root only, the one the root made for itself on first use ({@code <root>/.key-master}).
   *
   * @param envValue the value of {@link #ENV}, or null
   * @throws UsageException when none can be had: a shared root never gets a key made up on one machine
   */
  public static MasterKey resolve(String root, Path masterFile, String envValue) throws IOException {
    if (masterFile != null) {
      if (!Files.isReadable(masterFile)) {
        throw new UsageException("--key-master-file " + masterFile + " cannot be read");
      }
      return parse(Files.readString(masterFile, StandardCharsets.UTF_8), "--key-master-file " + masterFile);
    }
    if (envValue != null && !envValue.isBlank()) {
      return parse(envValue, "$" + ENV);
    }
    Path local = LocalSecrets.localFolder(root).orElseThrow(() -> new UsageException(
        "protected titles need the master key: give --key-master-file or set $" + ENV + " (only a local root makes its own)"));
    return parse(LocalSecrets.readOrCreate(local.resolve(LOCAL_FILE)), local.resolve(LOCAL_FILE).toString());
  }

  /** Hex of the first 8 bytes of the key's SHA-256: names the key without revealing it. */
  public String id() {
    return id;
  }

  /** A content key wrapped for storage, base64. */
  public String wrap(byte[] contentKey) {
    try {
      Cipher cipher = Cipher.getInstance("AESWrap");
      cipher.init(Cipher.WRAP_MODE, key);
      return Base64.getEncoder().encodeToString(cipher.wrap(new SecretKeySpec(contentKey, "AES")));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot wrap a " + contentKey.length + "-byte content key", e);
    }
  }

  /**
   * The clear content keys of a title by key id (hex).
   *
   * @throws IllegalStateException when another master key wrapped them, or a wrapped key is damaged
   */
  public Map<String, byte[]> unwrap(TitleKeys keys) {
    if (!keys.getMasterKeyId().equals(id)) {
      throw new IllegalStateException("keys of title " + keys.getTitleId() + " were wrapped with master key "
          + keys.getMasterKeyId() + ", not with this one (" + id + ")");
    }
    Map<String, byte[]> clear = new LinkedHashMap<>();
    for (ContentKey content : keys.getKeys()) {
      try {
        Cipher cipher = Cipher.getInstance("AESWrap");
        cipher.init(Cipher.UNWRAP_MODE, key);
        clear.put(content.getKid(),
            cipher.unwrap(Base64.getDecoder().decode(content.getWrappedKey()), "AES", Cipher.SECRET_KEY).getEncoded());
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        throw new IllegalStateException("key " + content.getKid() + " of title " + keys.getTitleId()
            + " does not unwrap: damaged or not wrapped with this master key", e);
      }
    }
    return clear;
  }
}
