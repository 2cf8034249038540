package io.caudal.edge.collect;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CMCD in JSON (CTA-5004's JSON object mode), as a player posts it to {@code /v1/cmcd}: an object
 * of CMCD keys, or an array of them. Values are read as {@link Cmcd#parse} reads them from a list:
 * String, Long or Double, Boolean.
 */
public final class CmcdJson {

  private static final String SHAPE = "CMCD JSON must be an object or an array of objects";

  private CmcdJson() {}

  /** @throws IllegalArgumentException naming what is malformed */
  public static List<Map<String, Object>> parse(String body) {
    JsonNode root = StrictJson.read(body);
    List<JsonNode> nodes = new ArrayList<>();
    if (root != null && root.isArray()) {
      root.forEach(nodes::add);
    } else if (root != null && root.isObject()) {
      nodes.add(root);
    } else {
      throw new IllegalArgumentException(SHAPE);
    }
    List<Map<String, Object>> reports = new ArrayList<>(nodes.size());
    for (JsonNode node : nodes) {
      if (!node.isObject()) {
        throw new IllegalArgumentException(SHAPE);
      }
      Map<String, Object> keys = new LinkedHashMap<>();
      node.fields().forEachRemaining(field -> keys.put(field.getKey(), value(field.getKey(), field.getValue())));
      reports.add(keys);
    }
    return reports;
  }

  private static Object value(String key, JsonNode value) {
    if (value.isTextual()) {
      return value.asText();
    }
    if (value.isIntegralNumber()) {
      return value.asLong();
    }
    if (value.isNumber()) {
      return value.asDouble();
    }
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    throw new IllegalArgumentException("CMCD: " + key + " must be a string, number or boolean");
  }
}
