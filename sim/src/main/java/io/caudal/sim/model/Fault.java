package io.caudal.sim.model;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fault injected at a simulated time, written {@code KIND:TARGET@TIME}:
 * <ul>
 *   <li>{@code server-unhealthy:SERVER@T}: the server hangs (CPU pinned, memory nearly full,
 *       pending bytes piling up) and serves its sessions a trickle;</li>
 *   <li>{@code isp-degrade:REGION/ISP@T}: that ISP's network in that region stays POOR;</li>
 *   <li>{@code hot-title:TITLE/REGION@T}: half of the region's new sessions ask for the title, and
 *       the region's servers drop it (evicted), so no eligible server there holds it.</li>
 * </ul>
 * T is seconds from the start: {@code 90}, {@code 90s}, {@code 2m} or {@code 500ms}. A fault lasts
 * to the end of the run, or for D when written {@code KIND:TARGET@T+D} (D in the same units): then
 * a {@link Cleared} follows it at T + D, and the server, link or region is as before.
 */
public sealed interface Fault {

  /** Simulated time of the fault, milliseconds from the start. */
  long atMs();

  record ServerUnhealthy(String serverId, long atMs) implements Fault {}

  record IspDegrade(String region, String isp, long atMs) implements Fault {}

  record HotTitle(String titleId, String region, long atMs) implements Fault {}

  /** The end of {@code fault}, at {@code atMs}. */
  record Cleared(Fault fault, long atMs) implements Fault {}

  Pattern SYNTAX = Pattern.compile("([a-z-]+):([^@]+)@(\\d+)(ms|s|m)?");
  Pattern WITH_END = Pattern.compile("(.+@\\d+(?:ms|s|m)?)\\+(\\d+)(ms|s|m)?");

  /** Parses {@code KIND:TARGET@T} or {@code KIND:TARGET@T+D}: the fault, and its end when it has one. */
  static java.util.List<Fault> parseAll(String text) {
    Matcher ending = WITH_END.matcher(text.trim());
    if (!ending.matches()) {
      return java.util.List.of(parse(text));
    }
    Fault fault = parse(ending.group(1));
    long lasts = millis(Long.parseLong(ending.group(2)), ending.group(3));
    if (lasts <= 0) {
      throw new IllegalArgumentException("fault '" + text + "': the duration after + must be positive");
    }
    return java.util.List.of(fault, new Cleared(fault, fault.atMs() + lasts));
  }

  private static long millis(long amount, String unit) {
    return switch (unit == null ? "s" : unit) {
      case "ms" -> amount;
      case "m" -> amount * 60_000;
      default -> amount * 1_000;
    };
  }

  /** Parses {@code KIND:TARGET@TIME}; the message of the exception says what is wrong. */
  static Fault parse(String text) {
    Matcher m = SYNTAX.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("fault '" + text + "' is not KIND:TARGET@TIME, e.g. "
          + "server-unhealthy:eu-west-s1@60s, isp-degrade:eu-west/isp-a@2m, hot-title:t007/eu-west@90");
    }
    String kind = m.group(1);
    String target = m.group(2);
    long amount = Long.parseLong(m.group(3));
    long atMs = millis(amount, m.group(4));
    return switch (kind) {
      case "server-unhealthy" -> new ServerUnhealthy(target, atMs);
      case "isp-degrade" -> {
        String[] parts = pair(text, target, "REGION/ISP");
        yield new IspDegrade(parts[0], parts[1], atMs);
      }
      case "hot-title" -> {
        String[] parts = pair(text, target, "TITLE/REGION");
        yield new HotTitle(parts[0], parts[1], atMs);
      }
      default -> throw new IllegalArgumentException(String.format(Locale.ROOT,
          "fault '%s': unknown kind '%s', expected server-unhealthy, isp-degrade or hot-title", text, kind));
    };
  }

  private static String[] pair(String text, String target, String shape) {
    String[] parts = target.split("/", -1);
    if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
      throw new IllegalArgumentException("fault '" + text + "': target must be " + shape + ", got '" + target + "'");
    }
    return parts;
  }
}
