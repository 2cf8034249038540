package io.caudal.edge.collect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Common Media Client Data (CTA-5004) as it travels on a request: the {@code CMCD=} query argument
 * or the CMCD-Request, CMCD-Object, CMCD-Status and CMCD-Session headers, each a comma-separated
 * list of {@code key=value} pairs where strings are quoted, tokens bare, numbers plain and a key
 * alone means true.
 */
public final class Cmcd {

  /** The request headers CMCD travels in. */
  public static final List<String> HEADERS = List.of("CMCD-Request", "CMCD-Object", "CMCD-Status", "CMCD-Session");
  /** The query argument CMCD travels in. */
  public static final String QUERY_ARGUMENT = "CMCD";

  private Cmcd() {}

  /**
   * The keys one request carries: its {@code CMCD=} query argument and its CMCD headers, merged.
   *
   * @param queryArgument the {@code CMCD} query argument, or null
   * @param header a request header's value by name, or null when the request has no such header
   * @throws IllegalArgumentException naming what is malformed
   */
  public static Map<String, Object> ofRequest(String queryArgument, UnaryOperator<String> header) {
    Map<String, Object> keys = new LinkedHashMap<>();
    if (queryArgument != null) {
      keys.putAll(parse(queryArgument));
    }
    for (String name : HEADERS) {
      String value = header.apply(name);
      if (value != null) {
        keys.putAll(parse(value));
      }
    }
    return keys;
  }

  /**
   * Parses one CMCD list into key to value: String for strings and tokens, Long or Double for
   * numbers, Boolean.TRUE for a bare key.
   *
   * @throws IllegalArgumentException naming what is malformed
   */
  public static Map<String, Object> parse(String list) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (list == null || list.isBlank()) {
      return out;
    }
    int i = 0;
    int n = list.length();
    while (i < n) {
      while (i < n && list.charAt(i) == ' ') {
        i++;
      }
      int keyStart = i;
      while (i < n && list.charAt(i) != '=' && list.charAt(i) != ',') {
        i++;
      }
      String key = list.substring(keyStart, i).strip();
      if (key.isEmpty() || !key.matches("[a-z0-9][a-z0-9._-]*")) {
        throw new IllegalArgumentException("CMCD: bad key '" + key + "'");
      }
      if (i >= n || list.charAt(i) == ',') {
        out.put(key, Boolean.TRUE);
        i++;
        continue;
      }
      i++; // '='
      Object value;
      if (i < n && list.charAt(i) == '"') {
        StringBuilder text = new StringBuilder();
        i++;
        boolean closed = false;
        while (i < n) {
          char c = list.charAt(i++);
          if (c == '\\' && i < n) {
            text.append(list.charAt(i++));
          } else if (c == '"') {
            closed = true;
            break;
          } else {
            text.append(c);
          }
        }
        if (!closed) {
          throw new IllegalArgumentException("CMCD: unterminated string for key " + key);
        }
        value = text.toString();
      } else {
        int valueStart = i;
        while (i < n && list.charAt(i) != ',') {
          i++;
        }
        value = number(key, list.substring(valueStart, i).strip());
      }
      out.put(key, value);
      while (i < n && list.charAt(i) == ' ') {
        i++;
      }
      if (i < n && list.charAt(i) != ',') {
        throw new IllegalArgumentException("CMCD: expected ',' after key " + key);
      }
      i++;
    }
    return out;
  }

  private static Object number(String key, String raw) {
    if (raw.isEmpty()) {
      throw new IllegalArgumentException("CMCD: empty value for key " + key);
    }
    try {
      // Not a conditional expression: it would widen the Long to a double.
      if (raw.contains(".")) {
        return Double.valueOf(raw);
      }
      return Long.valueOf(raw);
    } catch (NumberFormatException e) {
      // A token (e.g. ot=v, sf=h): letters only.
      if (raw.matches("[A-Za-z][A-Za-z0-9_-]*")) {
        return raw;
      }
      throw new IllegalArgumentException("CMCD: bad value for key " + key + ": '" + raw + "'");
    }
  }
}
