package io.caudal.edge.licence;

import com.fasterxml.jackson.databind.JsonNode;
import io.caudal.edge.collect.StrictJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A W3C Encrypted Media Extensions ClearKey licence request ({@code {"kids": ["<base64url KID>", ...],
 * "type": "temporary"}}), read strictly: one JSON object with only those two fields, 1 to {@link #MAX_KIDS}
 * key ids of 16 bytes each in unpadded base64url, and a temporary session (the only kind this server licenses).
 *
 * @param kids the key ids asked for, as 32 lowercase hex digits (how {@code TitleKeys} names them), without repeats
 */
public record ClearKeyRequest(List<String> kids) {

  /** A title has a key per track class (three); a player asks for a few at a time. */
  public static final int MAX_KIDS = 32;
  /** 32 key ids are about 1 KB of JSON. */
  public static final int MAX_BODY_BYTES = 4096;

  private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();
  private static final Base64.Encoder BASE64URL_OUT = Base64.getUrlEncoder().withoutPadding();
  private static final HexFormat HEX = HexFormat.of();
  private static final Pattern UNPADDED_KID = Pattern.compile("[A-Za-z0-9_-]{22}");

  public ClearKeyRequest {
    kids = List.copyOf(kids);
  }

  /**
   * @throws IllegalArgumentException naming what is wrong, for a 400
   */
  public static ClearKeyRequest parse(byte[] body) {
    if (body == null || body.length == 0) {
      throw new IllegalArgumentException("empty licence request: send {\"kids\": [...], \"type\": \"temporary\"}");
    }
    if (body.length > MAX_BODY_BYTES) {
      throw new IllegalArgumentException("licence request of " + body.length + " bytes, at most " + MAX_BODY_BYTES);
    }
    JsonNode root = StrictJson.read(new String(body, StandardCharsets.UTF_8));
    if (!root.isObject()) {
      throw new IllegalArgumentException("a licence request is a JSON object");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("kids") && !name.equals("type")) {
        throw new IllegalArgumentException("unknown field in a licence request: " + name);
      }
    }
    JsonNode type = root.get("type");
    if (type != null && !(type.isTextual() && type.asText().equals("temporary"))) {
      throw new IllegalArgumentException("type: only \"temporary\" licences are given");
    }
    JsonNode kids = root.get("kids");
    if (kids == null || !kids.isArray() || kids.isEmpty()) {
      throw new IllegalArgumentException("kids: a non-empty array of key ids is required");
    }
    if (kids.size() > MAX_KIDS) {
      throw new IllegalArgumentException("kids: " + kids.size() + " key ids, at most " + MAX_KIDS);
    }
    Set<String> hex = new LinkedHashSet<>();
    for (int i = 0; i < kids.size(); i++) {
      hex.add(HEX.formatHex(kid(kids.get(i), i)));
    }
    return new ClearKeyRequest(new ArrayList<>(hex));
  }

  /** A key id's or key's bytes as the JSON Web Key set spells them: unpadded base64url. */
  public static String base64url(byte[] bytes) {
    return BASE64URL_OUT.encodeToString(bytes);
  }

  /** A key id in hex as the JSON Web Key set spells it. */
  public static String base64urlOfHex(String hex) {
    return base64url(HEX.parseHex(hex));
  }

  private static byte[] kid(JsonNode node, int index) {
    String text = node.isTextual() ? node.asText() : "";
    byte[] bytes = null;
    // Unpadded base64url as EME writes it; a decoder that also took padding or '+/' would give one id many spellings.
    if (UNPADDED_KID.matcher(text).matches()) {
      try {
        bytes = BASE64URL.decode(text);
      } catch (IllegalArgumentException e) {
        bytes = null;
      }
    }
    if (bytes == null || bytes.length != 16 || !BASE64URL_OUT.encodeToString(bytes).equals(text)) {
      throw new IllegalArgumentException("kids[" + index + "]: a key id is 16 bytes in unpadded base64url");
    }
    return bytes;
  }
}
