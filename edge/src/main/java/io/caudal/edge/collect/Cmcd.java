package io.caudal.edge.collect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Common Media Client Data (CTA-5004) as it travels on a request: the {@code CMCD=} query argument
 * or the CMCD-Request, CMCD-Object, CMCD-Status and CMCD-Session headers, each a comma-separated
 * list of {@code key=value} pairs where strings are quoted, tokens bare, numbers plain and a key
 * alone means true.
 */
public final class Cmcd {

  /** The request headers CMCD travels in. */
  public static final List<String> HEADERS = List.of("CMCD-Request", "CMCD-Object", "CMCD-Status", "CMCD-Session");
  /** The media type of a CMCD v2 event-mode body: one CMCD list per line. */
  public static final String EVENT_MODE_TYPE = "application/cmcd";
  /** The query argument CMCD travels in. */
  public static final String QUERY_ARGUMENT = "CMCD";

  /** A CMCD v2 inner list holds a few values (one per media type); more is not CMCD. */
  static final int MAX_LIST_ITEMS = 16;
  private static final Pattern KEY = Pattern.compile("[a-z0-9*][a-z0-9._*-]*");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z*][A-Za-z0-9_:/.*-]*");

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
   * numbers, Boolean for a bare key ({@code TRUE}) or {@code ?1}/{@code ?0}, and a List of those for
   * a CMCD v2 inner list such as {@code br=(3200 128)}. Parameters ({@code ;v}) are read and dropped:
   * no key Caudal maps depends on them.
   *
   * @throws IllegalArgumentException naming what is malformed
   */
  public static Map<String, Object> parse(String list) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (list == null || list.isBlank()) {
      return out;
    }
    Reader in = new Reader(list);
    while (in.more()) {
      in.skipSpaces();
      String key = in.key();
      if (!in.more() || in.peek() == ',' || in.peek() == ';') {
        in.parameters(key);
        out.put(key, Boolean.TRUE);
      } else {
        in.expect('=', key);
        Object value = in.more() && in.peek() == '(' ? in.innerList(key) : in.item(key);
        in.parameters(key);
        out.put(key, value);
      }
      in.skipSpaces();
      if (in.more()) {
        in.expect(',', key);
        in.skipSpaces();
        if (!in.more()) {
          throw new IllegalArgumentException("CMCD: trailing ',' after key " + key);
        }
      }
    }
    return out;
  }

  /**
   * Parses a CMCD v2 event-mode body ({@code Content-Type: application/cmcd}): one CMCD list per
   * line, each a report; blank lines are skipped.
   *
   * @throws IllegalArgumentException naming the line and what is malformed in it
   */
  public static List<Map<String, Object>> parseLines(String body) {
    List<Map<String, Object>> reports = new ArrayList<>();
    String[] lines = body.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      try {
        reports.add(parse(lines[i]));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage());
      }
    }
    return reports;
  }

  /** Whether a Content-Type names a CMCD v2 event-mode body. */
  public static boolean isEventModeType(String contentType) {
    return contentType.toLowerCase(java.util.Locale.ROOT).matches("application/cmcd\\s*(;.*)?");
  }

  /** A cursor over one CMCD list. */
  private static final class Reader {
    private final String text;
    private int at;

    Reader(String text) {
      this.text = text;
    }

    boolean more() {
      return at < text.length();
    }

    char peek() {
      return text.charAt(at);
    }

    void skipSpaces() {
      while (more() && (peek() == ' ' || peek() == '\t')) {
        at++;
      }
    }

    void expect(char c, String key) {
      if (!more() || peek() != c) {
        throw new IllegalArgumentException("CMCD: expected '" + c + "' after key " + key);
      }
      at++;
    }

    String key() {
      int start = at;
      while (more() && "=,;".indexOf(peek()) < 0) {
        at++;
      }
      String key = text.substring(start, at).strip();
      if (key.isEmpty() || !KEY.matcher(key).matches()) {
        throw new IllegalArgumentException("CMCD: bad key '" + shown(key) + "'");
      }
      return key;
    }

    /** {@code (item item ...)}, each item with its parameters. */
    List<Object> innerList(String key) {
      at++; // '('
      List<Object> items = new ArrayList<>();
      while (true) {
        while (more() && peek() == ' ') {
          at++;
        }
        if (!more()) {
          throw new IllegalArgumentException("CMCD: unterminated list for key " + key);
        }
        if (peek() == ')') {
          at++;
          return items;
        }
        if (items.size() == MAX_LIST_ITEMS) {
          throw new IllegalArgumentException("CMCD: more than " + MAX_LIST_ITEMS + " items for key " + key);
        }
        items.add(item(key));
        parameters(key);
        if (more() && peek() != ' ' && peek() != ')') {
          throw new IllegalArgumentException("CMCD: expected ' ' or ')' in the list for key " + key);
        }
      }
    }

    /** {@code ;name[=item]} repeated: checked and dropped. */
    void parameters(String key) {
      while (more() && peek() == ';') {
        at++;
        while (more() && peek() == ' ') {
          at++;
        }
        int start = at;
        while (more() && "=,;() ".indexOf(peek()) < 0) {
          at++;
        }
        if (!KEY.matcher(text.substring(start, at)).matches()) {
          throw new IllegalArgumentException("CMCD: bad parameter for key " + key);
        }
        if (more() && peek() == '=') {
          at++;
          item(key);
        }
      }
    }

    /** A string, a boolean, or a bare number or token. */
    Object item(String key) {
      if (!more()) {
        throw new IllegalArgumentException("CMCD: empty value for key " + key);
      }
      if (peek() == '"') {
        return string(key);
      }
      if (peek() == '?') {
        at++;
        if (more() && (peek() == '0' || peek() == '1')) {
          return text.charAt(at++) == '1';
        }
        throw new IllegalArgumentException("CMCD: bad boolean for key " + key);
      }
      int start = at;
      while (more() && ",;() ".indexOf(peek()) < 0) {
        at++;
      }
      return number(key, text.substring(start, at).strip());
    }

    private String string(String key) {
      StringBuilder value = new StringBuilder();
      at++; // '"'
      while (more()) {
        char c = text.charAt(at++);
        if (c == '\\' && more()) {
          value.append(text.charAt(at++));
        } else if (c == '"') {
          return value.toString();
        } else {
          value.append(c);
        }
      }
      throw new IllegalArgumentException("CMCD: unterminated string for key " + key);
    }
  }

  private static String shown(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "..." : text;
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
      if (TOKEN.matcher(raw).matches()) {
        return raw;
      }
      throw new IllegalArgumentException("CMCD: bad value for key " + key + ": '" + shown(raw) + "'");
    }
  }
}
