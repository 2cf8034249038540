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
 */
public final class TokenSigner {

  private static final String VERSION = "v1";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final SecretKeySpec key;

  public TokenSigner(byte[] secret) {
    if (secret == null || secret.length < 16) {
      throw new IllegalArgumentException("the token secret must be at least 16 bytes");
    }
    this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
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
    byte[] payload;
    byte[] signature;
    try {
      payload = DECODER.decode(token.substring(0, dot));
      signature = DECODER.decode(token.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      throw new TokenException("malformed playback token");
    }
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
    return new PlaybackToken(parts[1], parts[2], parts[3], expires);
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
