package io.caudal.edge.entitle;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks playback tokens with HMAC-SHA256.
 *
 * <p>A token is {@code base64url(payload) "." base64url(HMAC-SHA256(secret, payload))} without
 * padding, where the payload is {@code "v1\n" user "\n" title "\n" pathPrefix "\n" expiresAtSeconds}.
 * It rides in the URL path ({@code /t/<token>/vod/<title>/master.m3u8}) so every relative URL a
 * player resolves from a manifest carries it too.
 *
 * <p>A token has one spelling: unpadded base64url, as signed. Java's decoder also takes padding and
 * stray low bits, which would give one grant many spellings (and a cache entry each); those are
 * refused. A grant that lasts longer than the server's maximum lifetime is refused too, however
 * well signed: a leaked secret or a careless signing then yields no token that never ends.
 */
public final class TokenSigner {

  private static final String VERSION = "v1";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  /** The longest grant honoured unless told otherwise: 30 days. */
  public static final long DEFAULT_MAX_LIFETIME_SECONDS = 30L * 86_400;

  private final SecretKeySpec key;
  private final long maxLifetimeSeconds;

  public TokenSigner(byte[] secret) {
    this(secret, DEFAULT_MAX_LIFETIME_SECONDS);
  }

  /** @param maxLifetimeSeconds the longest a grant may last from the moment it is checked */
  public TokenSigner(byte[] secret, long maxLifetimeSeconds) {
    if (secret == null || secret.length < 16) {
      throw new IllegalArgumentException("the token secret must be at least 16 bytes");
    }
    if (maxLifetimeSeconds < 1) {
      throw new IllegalArgumentException("the longest grant must be positive, got " + maxLifetimeSeconds);
    }
    this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    this.maxLifetimeSeconds = maxLifetimeSeconds;
  }

  public String sign(PlaybackToken token) {
    byte[] payload = String.join("\n", VERSION, token.userId(), token.titleId(), token.pathPrefix(),
        Long.toString(token.expiresAtSeconds())).getBytes(StandardCharsets.UTF_8);
    return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(mac(payload));
  }

  /**
   * Checks a token's signature and expiry.
   *
   * @throws TokenException naming why the token is refused
   */
  public PlaybackToken verify(String token, long nowSeconds) {
    int dot = token == null ? -1 : token.indexOf('.');
    if (dot <= 0 || dot == token.length() - 1) {
      throw new TokenException("malformed playback token");
    }
    byte[] payload = canonicalDecode(token.substring(0, dot));
    byte[] signature = canonicalDecode(token.substring(dot + 1));
    if (!MessageDigest.isEqual(mac(payload), signature)) {
      throw new TokenException("playback token signature does not match");
    }
    String[] parts = new String(payload, StandardCharsets.UTF_8).split("\n", -1);
    if (parts.length != 5 || !VERSION.equals(parts[0])) {
      throw new TokenException("unsupported playback token version");
    }
    long expires;
    try {
      expires = Long.parseLong(parts[4]);
    } catch (NumberFormatException e) {
      throw new TokenException("malformed playback token expiry");
    }
    if (nowSeconds >= expires) {
      throw new TokenException("playback token expired at " + expires);
    }
    if (expires - nowSeconds > maxLifetimeSeconds) {
      throw new TokenException("playback token lasts longer than the " + maxLifetimeSeconds + " s this server honours");
    }
    return new PlaybackToken(parts[1], parts[2], parts[3], expires);
  }

  /** Decodes one part, refusing every spelling but the one {@link #sign} writes. */
  private static byte[] canonicalDecode(String part) {
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
        throw new TokenException("malformed playback token: unpadded base64url only");
      }
    }
    byte[] bytes;
    try {
      bytes = DECODER.decode(part);
    } catch (IllegalArgumentException e) {
      throw new TokenException("malformed playback token");
    }
    if (!ENCODER.encodeToString(bytes).equals(part)) {
      throw new TokenException("malformed playback token: not in its canonical spelling");
    }
    return bytes;
  }

  private byte[] mac(byte[] payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(payload);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** A refused token; the message says why. */
  public static final class TokenException extends RuntimeException {
    public TokenException(String message) {
      super(message);
    }
  }
}
