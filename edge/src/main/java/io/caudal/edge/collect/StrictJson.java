package io.caudal.edge.collect;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * How edge reads a JSON request body: exactly one value. Anything after it ({@code {..}{..}},
 * {@code {..}xyz}, one object per line) and a key given twice are malformed, so what a 202 counts is
 * all that was sent, and no field has two values of which one was kept silently.
 */
public final class StrictJson {

  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  private StrictJson() {}

  /**
   * @return the body's one value; a missing node for an empty body
   * @throws IllegalArgumentException "malformed JSON: ..." naming what is wrong
   */
  public static JsonNode read(String body) {
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      String message = e.getOriginalMessage();
      if (message.startsWith("Trailing token")) {
        message = "content after the JSON value (send one value: an object, or an array of them)";
      }
      throw new IllegalArgumentException("malformed JSON: " + message);
    }
  }
}
