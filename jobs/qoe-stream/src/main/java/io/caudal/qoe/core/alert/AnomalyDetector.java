package io.caudal.qoe.core.alert;

import io.caudal.schemas.Alert;
import io.caudal.schemas.AlertKind;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Anomaly alerts, minute by minute: each watched metric of the fleet, of each region and of
 * each key of the other dimensions, against its own baseline ({@link Baseline}). A minute is bad
 * when its score is at least {@code openScore} spreads worse than the level, good under
 * {@code resolveScore}; a slice with fewer viewers than {@code minCohort} is not judged. A bad
 * fleet or region looks for its root cause ({@link RootCause}); an alert whose slice and cause
 * say the same as one already raised that minute (the fleet's, or a region's naming the same
 * slice) is not raised twice. Bitrate is judged by its ratio to the level, and a slice without
 * enough minutes of its own against its scope's. Each title of each region is also judged for a
 * surge of demand served poorly ({@link DemandSurge}), on counts: a hot title.
 */
public final class AnomalyDetector {

  /**
   * The detector's settings; {@link #defaults()} are explained in the module's README.
   *
   * @param historyMinutes how many normal minutes a baseline keeps
   * @param minHistory minutes of history before a series is judged at all
   */
  public record Settings(List<Metric> metrics, int historyMinutes, int minHistory, long minCohort,
      long minCohortRelative, double openScore, double resolveScore, int openAfter, double openAtOnceScore,
      int resolveAfter) implements java.io.Serializable {

    public static Settings defaults() {
      return new Settings(List.of(Metric.VSF_PCT, Metric.REBUFFERING_RATIO, Metric.AVG_BITRATE_KBPS), 180, 30, 25,
          10, 4.0, 2.0, 3, 8.0, 3);
    }

    /** The same, judged from {@code minutes} of history on (tests that cannot run hours). */
    public Settings withMinHistory(int minutes) {
      return new Settings(metrics, historyMinutes, minutes, minCohort, minCohortRelative, openScore, resolveScore,
          openAfter, openAtOnceScore, resolveAfter);
    }

    /**
     * The viewers a slice's minute must hold to be judged on {@code metric}: a rate of failures
     * needs {@link #minCohort} (one viewer is 4 % of 25), a drop in bitrate far fewer, as it
     * takes most of the slice's viewers together to be several times lower.
     */
    public long minCohort(Metric metric) {
      return metric.relative() ? minCohortRelative : minCohort;
    }
  }

  private Settings settings;
  /** By series, {@code metric|dimension=key}. */
  private final Map<String, Baseline> baselines = new TreeMap<>();
  private final Map<String, AlertLifecycle> alerts = new TreeMap<>();
  /** Each title's attempts in the minute judged last ({@code region=R&title=T}), the first half of the next window. */
  private final Map<String, Long> lastAttempts = new TreeMap<>();
  private long lastMinute = -1;
  /** The demand series' metric: qoe_minute's attempts column. */
  static final String ATTEMPTS = "attempts";

  public AnomalyDetector(Settings settings) {
    this.settings = settings;
  }

  /** Judges from now on with these settings (a restored detector is read with the defaults). */
  public AnomalyDetector use(Settings value) {
    this.settings = value;
    return this;
  }

  /** A series judged this minute, before deduplication. */
  private record Candidate(String series, String dimension, String key, Counts counts, Breakdown breakdown,
      boolean scope, String parent) {}

  /** Judges one minute, given every region's breakdown of it; the alert changes it makes, in a stable order. */
  public List<Alert> evaluate(long minute, Collection<Breakdown> regions) {
    Breakdown fleet = Breakdown.fleet(minute, regions);
    List<Candidate> candidates = new ArrayList<>();
    candidates.add(new Candidate("fleet=all", "fleet", "all", fleet.total(), fleet, true, null));
    for (Breakdown region : regions.stream().sorted((a, b) -> a.key().compareTo(b.key())).toList()) {
      candidates.add(new Candidate("region=" + region.key(), "region", region.key(), region.total(), region, true,
          "fleet=all"));
    }
    // Each key of each dimension within each region, then across the fleet.
    for (Breakdown region : regions.stream().sorted((a, b) -> a.key().compareTo(b.key())).toList()) {
      region.slices().forEach((id, counts) -> {
        if (Breakdown.isSingle(id)) {
          int eq = id.indexOf('=');
          candidates.add(new Candidate("region=" + region.key() + "&" + id, id.substring(0, eq), id.substring(eq + 1),
              counts, region.within(id), false, "region=" + region.key()));
        }
      });
    }
    fleet.slices().forEach((id, counts) -> {
      if (Breakdown.isSingle(id) && !id.startsWith("region=")) {
        int eq = id.indexOf('=');
        candidates.add(new Candidate(id, id.substring(0, eq), id.substring(eq + 1), counts, fleet.within(id), false,
            "fleet=all"));
      }
    });
    List<Alert> out = new ArrayList<>();
    // What the open alerts say (any metric): one incident is one alert, not one per metric or scope.
    Map<String, Set<String>> openCauses = new TreeMap<>();
    alerts.forEach((series, alert) -> {
      if (alert.isOpen()) {
        openCauses.put(series, fullCause(series.substring(series.indexOf('|') + 1), alert.publishedCause()));
      }
    });
    // Hot titles first: their demand shows a minute or more before their viewers' quality does, and
    // the slices it spills into (the other region's server they are sent to) are then the same alert.
    out.addAll(surges(minute, regions, openCauses));
    for (Metric metric : settings.metrics()) {
      out.addAll(evaluate(minute, metric, candidates, fleet, regions, openCauses));
    }
    alerts.values().removeIf(AlertLifecycle::isIdle);
    return out;
  }

  private List<Alert> evaluate(long minute, Metric metric, List<Candidate> candidates, Breakdown fleet,
      Collection<Breakdown> regions, Map<String, Set<String>> openCauses) {
    List<Alert> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Candidate c : inOrder(metric, candidates)) {
      String series = metric.field() + "|" + c.series();
      seen.add(series);
      Double value = c.counts().value(metric);
      Baseline history = baselines.computeIfAbsent(series, k -> new Baseline(settings.historyMinutes()));
      AlertLifecycle alert = alerts.get(series);
      long minCohort = settings.minCohort(metric);
      boolean enough = value != null && c.counts().cohort(metric) >= minCohort;
      Baseline judgedBy = judgedBy(history, metric, c);
      boolean judged = enough && judgedBy != null;
      if (!judged) {
        if (enough && (alert == null || !alert.isOpen())) {
          history.add(value); // still learning
        }
        if (alert != null) {
          // Too few viewers left (e.g. steered away from a failing server): nothing bad to see.
          alert.good(judged(metric, c, minute, value == null ? Double.NaN : value, null, null, List.of()),
              settings.resolveAfter()).ifPresent(out::add);
        }
        continue;
      }
      Baseline.Level level = judgedBy.level(metric, metric.leastSpread(c.counts().cohort(metric)));
      double score = level.score(value, metric);
      if (score >= settings.openScore()) {
        List<String> cause = RootCause.find(c.breakdown(), metric, level, settings.resolveScore(), minCohort)
                .map(List::of).orElse(List.of());
        Set<String> fullCause = fullCause(c, cause);
        List<Set<String>> others = openCauses.entrySet().stream().filter(e -> !e.getKey().equals(series))
            .map(Map.Entry::getValue).toList();
        // A slice, or a scope whose cause was not found, that shares viewers with an open alert's
        // cause is that alert's trouble; a scope with a cause is the same alert when the causes nest.
        boolean said = !c.scope() || cause.isEmpty()
            ? others.stream().anyMatch(r -> c.dimension().equals("fleet") ? !r.isEmpty()
                : Breakdown.isSingle(c.series()) ? overlaps(c.series(), r, fleet, regions)
                : explainedBy(c, r, metric, level, minCohort))
            : others.stream().anyMatch(r -> r.containsAll(fullCause) || fullCause.containsAll(r)
                || consistent(fullCause, r) && sharesSlice(fullCause, r)
                || partsBeyond(c, r).filter(beyond -> beyond.size() == 1)
                    .map(beyond -> fineWithout(c, beyond.iterator().next(), metric, level, minCohort)).orElse(false));
        if (said) {
          // Already said by a larger scope this minute.
          if (alert != null && !alert.isOpen()) {
            alert.neutral();
          }
          continue;
        }
        alert = alerts.computeIfAbsent(series, k -> new AlertLifecycle());
        // A minute this far off is not noise: it opens at once, unless it is a region's or the
        // fleet's with no cause found. In a fault's first minute the failing slice often holds too
        // few viewers yet to be named, and its own alert follows a minute later.
        boolean atOnce = score >= settings.openAtOnceScore() && !(c.scope() && cause.isEmpty());
        int openAfter = atOnce ? 1 : settings.openAfter();
        alert.bad(judged(metric, c, minute, value, level, score, cause), openAfter).ifPresent(out::add);
        if (alert.isOpen()) {
          // Only an open alert speaks for its viewers: one still counting its bad minutes would
          // hold back another metric's alert on the same trouble that is further along.
          openCauses.put(series, fullCause);
        }
      } else {
        history.add(value);
        if (alert != null) {
          AlertLifecycle.Judged j = judged(metric, c, minute, value, level, score, List.of());
          if (score < settings.resolveScore()) {
            alert.good(j, settings.resolveAfter()).ifPresent(out::add);
          } else {
            alert.neutral();
          }
        }
      }
    }
    // Series with an open alert and no viewers at all this minute.
    for (Map.Entry<String, AlertLifecycle> open : new LinkedHashMap<>(alerts).entrySet()) {
      String series = open.getKey();
      if (series.startsWith(metric.field() + "|") && !seen.contains(series) && open.getValue().isOpen()) {
        String slice = series.substring(series.indexOf('|') + 1);
        String last = slice.substring(slice.lastIndexOf('&') + 1);
        int eq = last.indexOf('=');
        Candidate gone = new Candidate(slice, last.substring(0, eq), last.substring(eq + 1), new Counts(), null,
            !slice.contains("&") && (slice.startsWith("fleet=") || slice.startsWith("region=")), null);
        open.getValue().good(judged(metric, gone, minute, Double.NaN, null, null, List.of()), settings.resolveAfter())
            .ifPresent(out::add);
      }
    }
    return out;
  }

  /**
   * Each title of each region judged for a surge of demand served poorly ({@link DemandSurge}):
   * its attempts over this minute and the one before against its expected rate, while its viewers
   * get at most {@link DemandSurge#POOR_SHARE} of the region's bitrate level. An alert opens at
   * the first such window (the window is two minutes already) and resolves after
   * {@code resolveAfter} minutes without one; it names the title within the region.
   */
  private List<Alert> surges(long minute, Collection<Breakdown> regions, Map<String, Set<String>> openCauses) {
    List<Alert> out = new ArrayList<>();
    Map<String, Long> attemptsNow = new TreeMap<>();
    Set<String> seen = new HashSet<>();
    boolean consecutive = lastMinute == minute - 60_000;
    for (Breakdown region : regions.stream().sorted((a, b) -> a.key().compareTo(b.key())).toList()) {
      String scope = "region=" + region.key();
      Baseline regionAttempts = baselines.computeIfAbsent(ATTEMPTS + "|" + scope,
          k -> new Baseline(settings.historyMinutes()));
      List<Map.Entry<String, Counts>> titles = region.slices().entrySet().stream()
          .filter(e -> Breakdown.isSingle(e.getKey()) && e.getKey().startsWith("title=")).toList();
      Baseline regionBitrate = baselines.get(Metric.AVG_BITRATE_KBPS.field() + "|" + scope);
      boolean ready = regionAttempts.size() >= settings.minHistory() && regionBitrate != null
          && regionBitrate.size() >= settings.minHistory() && !titles.isEmpty();
      double regionPerTitle = ready ? regionAttempts.sum() / regionAttempts.size() / titles.size() : 0;
      double bitrateLevel = ready
          ? regionBitrate.level(Metric.AVG_BITRATE_KBPS, Metric.AVG_BITRATE_KBPS.minSpread()).level() : 0;
      regionAttempts.add(region.total().attempts());
      for (Map.Entry<String, Counts> title : titles) {
        String slice = scope + "&" + title.getKey();
        String series = ATTEMPTS + "|" + slice;
        seen.add(series);
        // What an open alert elsewhere explains is taken out first: the viewers of a failing server
        // retry, and a title they watch would surge with them.
        Counts rest = outsideOpenCauses(title.getKey(), title.getValue(), region, series, openCauses);
        // Two open causes may share some of the title's viewers, taken out twice: never below none.
        long now = Math.max(0, rest.attempts());
        attemptsNow.put(slice, now);
        long window = now + (consecutive ? lastAttempts.getOrDefault(slice, 0L) : 0L);
        Baseline own = baselines.computeIfAbsent(series, k -> new Baseline(settings.historyMinutes()));
        AlertLifecycle alert = alerts.get(series);
        double perMinute = DemandSurge.expectedPerMinute(own.sum(), own.size(), regionPerTitle);
        double p = ready ? DemandSurge.upperTail(window, 2 * perMinute) : 1.0;
        Double bitrate = rest.value(Metric.AVG_BITRATE_KBPS);
        boolean poor = ready && bitrate != null && bitrate <= DemandSurge.POOR_SHARE * bitrateLevel;
        String key = title.getKey().substring("title=".length());
        AlertLifecycle.Judged j = new AlertLifecycle.Judged(AlertKind.ANOMALY, null, ATTEMPTS, "title", key, minute,
            now, 2 * perMinute, null, -Math.log10(Math.max(p, 1e-300)), now, List.of(slice));
        // Open, a hot title stays bad while its viewers are served poorly: they outlast the surge.
        boolean open = alert != null && alert.isOpen();
        if (poor && (p < DemandSurge.SURGE_P || open)) {
          openCauses.put(series, fullCause(slice, List.of()));
          alert = alerts.computeIfAbsent(series, k -> new AlertLifecycle());
          alert.bad(j, 1).ifPresent(out::add);
        } else {
          own.add(now);
          if (alert != null) {
            alert.good(j, settings.resolveAfter()).ifPresent(out::add);
          }
        }
      }
    }
    // A hot title whose viewers have all gone: nothing left to be bad.
    for (Map.Entry<String, AlertLifecycle> open : new LinkedHashMap<>(alerts).entrySet()) {
      String series = open.getKey();
      if (series.startsWith(ATTEMPTS + "|") && !seen.contains(series) && open.getValue().isOpen()) {
        String slice = series.substring(series.indexOf('|') + 1);
        String key = slice.substring(slice.lastIndexOf('=') + 1);
        open.getValue().good(new AlertLifecycle.Judged(AlertKind.ANOMALY, null, ATTEMPTS, "title", key, minute, 0,
            null, null, null, 0, List.of(slice)), settings.resolveAfter()).ifPresent(out::add);
      }
    }
    lastAttempts.clear();
    lastAttempts.putAll(attemptsNow);
    lastMinute = minute;
    return out;
  }

  /**
   * A title's counts in a region without the viewers an open alert's cause holds (the pair of the
   * title with the cause's one slice in this region, or across regions for a fleet-wide cause);
   * none when an open alert names the whole region; all of them when no other open alert's cause
   * is the region or a single slice of another dimension.
   */
  private static Counts outsideOpenCauses(String title, Counts counts, Breakdown region, String series,
      Map<String, Set<String>> openCauses) {
    Counts rest = counts;
    for (Map.Entry<String, Set<String>> open : openCauses.entrySet()) {
      if (open.getKey().equals(series)) {
        continue;
      }
      Set<String> parts = new java.util.TreeSet<>(open.getValue());
      if (parts.contains("region=" + region.key())) {
        parts.remove("region=" + region.key());
        if (parts.isEmpty()) {
          return new Counts(); // the whole region's trouble holds the title's viewers too
        }
      } else if (parts.stream().anyMatch(part -> part.startsWith("region="))) {
        continue; // another region's trouble
      }
      if (parts.size() != 1 || parts.iterator().next().startsWith("title=")) {
        continue;
      }
      Counts both = region.slices().get(Breakdown.pair(parts.iterator().next(), title));
      if (both != null) {
        rest = rest.minus(both);
      }
    }
    return rest;
  }

  /**
   * The history a candidate is judged against: its own once it has {@code minHistory} minutes,
   * else its scope's (a key within a region against the region, a key across the fleet against
   * the fleet). A small slice, a title that few watch until it turns hot, rarely has enough
   * minutes of its own; its scope's level is what its viewers would otherwise get. Null when
   * neither has enough history.
   */
  private Baseline judgedBy(Baseline own, Metric metric, Candidate c) {
    if (own.size() >= settings.minHistory()) {
      return own;
    }
    if (c.parent() == null || !metric.relative()) {
      return null;
    }
    Baseline scope = baselines.get(metric.field() + "|" + c.parent());
    return scope != null && scope.size() >= settings.minHistory() ? scope : null;
  }

  /**
   * The order candidates are raised in, each one not raised when one before said the same: the
   * fleet first when its trouble is everywhere or across regions (one alert, not one per region),
   * after the regions when its root cause lies within one region (the region's alert names it);
   * single slices across the fleet last, raised only when no scope's alert covers them.
   */
  private List<Candidate> inOrder(Metric metric, List<Candidate> candidates) {
    Candidate fleet = candidates.get(0);
    Baseline history = baselines.get(metric.field() + "|" + fleet.series());
    Double value = fleet.counts().value(metric);
    boolean withinRegion = false;
    if (history != null && history.size() >= settings.minHistory() && value != null
        && fleet.counts().cohort(metric) >= settings.minCohort(metric)) {
      Baseline.Level level = history.level(metric, metric.leastSpread(fleet.counts().cohort(metric)));
      if (level.score(value, metric) >= settings.openScore()) {
        withinRegion = RootCause.find(fleet.breakdown(), metric, level, settings.resolveScore(),
            settings.minCohort(metric))
            .filter(id -> id.startsWith("region=")).isPresent();
      }
    }
    if (!withinRegion) {
      return candidates;
    }
    List<Candidate> ordered = new ArrayList<>();
    candidates.stream().filter(c -> c.dimension().equals("region")).forEach(ordered::add);
    ordered.add(fleet);
    candidates.stream().filter(c -> !c.dimension().equals("region") && c != fleet).forEach(ordered::add);
    return ordered;
  }

  /**
   * Whether any session of slice {@code x} (one dimension's key across the fleet) is in the slice
   * {@code cause} names (its parts, e.g. region=eu and isp=isp-b): then x's trouble is likely that
   * cause's, already raised. Looked up in the region's breakdown when the cause is within one
   * region, else in the fleet's; where that would take three dimensions, assumed.
   */
  private static boolean overlaps(String x, Set<String> cause, Breakdown fleet, Collection<Breakdown> regions) {
    String dimension = x.substring(0, x.indexOf('=') + 1);
    Set<String> parts = new java.util.TreeSet<>(cause);
    for (String part : cause) {
      if (part.startsWith(dimension)) {
        return part.equals(x); // the same dimension: the same key or disjoint
      }
    }
    Breakdown within = fleet;
    for (String part : cause) {
      if (part.startsWith("region=")) {
        String region = part.substring("region=".length());
        within = regions.stream().filter(b -> b.key().equals(region)).findFirst().orElse(null);
        parts.remove(part);
      }
    }
    if (within == null) {
      return false;
    }
    parts.add(x);
    if (parts.size() > 2) {
      return true;
    }
    List<String> ordered = new ArrayList<>(parts);
    ordered.sort(java.util.Comparator.comparingInt(p -> Breakdown.DIMENSIONS.indexOf(p.substring(0, p.indexOf('=')))));
    Counts both = within.slices().get(String.join("&", ordered));
    return both != null && both.sessions() > 0;
  }

  private static Set<String> fullCause(Candidate c, List<String> cause) {
    return fullCause(c.series(), cause);
  }

  /** The slice parts an alert on {@code slice} with {@code cause} points at; empty for the whole fleet. */
  /**
   * Whether two slices, given by their parts, may hold the same viewers: no dimension with a
   * different key in each (an empty slice is the whole fleet).
   */
  private static boolean consistent(Set<String> a, Set<String> b) {
    for (String part : a) {
      String dimension = part.substring(0, part.indexOf('=') + 1);
      for (String other : b) {
        if (other.startsWith(dimension) && !other.equals(part)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Whether an open alert's cause {@code cause} explains what is wrong with {@code c}, a key within
   * a region: the key's viewers outside the cause are not bad (or too few to judge). A
   * cause in another region or naming another key of the same dimension explains nothing; one
   * naming the whole region, or narrower than the key, everything. So a server of another region,
   * or an ISP a title's viewers hardly use, is another incident.
   */
  private boolean explainedBy(Candidate c, Set<String> cause, Metric metric, Baseline.Level level, long minCohort) {
    return partsBeyond(c, cause).map(beyond -> beyond.size() != 1 || c.breakdown() == null
        || fineWithout(c, beyond.iterator().next(), metric, level, minCohort)).orElse(false);
  }

  /**
   * The parts of {@code cause} outside {@code c}'s own slice; empty when the two contradict each
   * other (another key of a dimension {@code c} names).
   */
  private static Optional<Set<String>> partsBeyond(Candidate c, Set<String> cause) {
    Set<String> parts = c.dimension().equals("fleet") ? Set.of() : Set.of(c.series().split("&"));
    if (!consistent(parts, cause)) {
      return Optional.empty();
    }
    Set<String> beyond = new java.util.TreeSet<>(cause);
    beyond.removeAll(parts);
    return Optional.of(beyond);
  }

  /**
   * Whether {@code c} is not bad without the viewers of {@code slice} within it, the one part of
   * an open alert's cause beyond it (a region's server or title, say): a region whose trouble is
   * the viewers still held by a failing server, or a hot title's sent to another region, is that
   * alert's, whatever its own search names (by then the failing slice may be smaller than the
   * title its last viewers watch).
   */
  private boolean fineWithout(Candidate c, String slice, Metric metric, Baseline.Level level, long minCohort) {
    if (c.breakdown() == null) {
      return false;
    }
    Counts both = c.breakdown().slices().get(slice);
    if (both == null) {
      return false;
    }
    Counts rest = c.counts().minus(both);
    Double value = rest.value(metric);
    // Not bad without them (the rest is noisier than the whole: back under the open score, not the resolve one).
    return value == null || rest.cohort(metric) < minCohort || level.score(value, metric) < settings.openScore();
  }

  /** Whether two causes name a common slice other than a region (a region alone is no common cause). */
  private static boolean sharesSlice(Set<String> a, Set<String> b) {
    return a.stream().anyMatch(part -> !part.startsWith("region=") && b.contains(part));
  }

  private static Set<String> fullCause(String slice, List<String> cause) {
    Set<String> parts = new java.util.TreeSet<>();
    if (!slice.startsWith("fleet=")) {
      parts.addAll(List.of(slice.split("&")));
    }
    for (String id : cause) {
      parts.addAll(List.of(id.split("&")));
    }
    return parts;
  }

  private static AlertLifecycle.Judged judged(Metric metric, Candidate c, long minute, double value,
      Baseline.Level level, Double score, List<String> cause) {
    List<String> named = new ArrayList<>();
    if (cause.isEmpty() && !c.scope() && level != null) {
      named.add(c.series()); // nothing narrower explains it: the slice itself, its region included
    }
    for (String id : cause) {
      // Name the cause fully: a region's cause is within the region, a slice's within the slice.
      named.add(c.dimension().equals("fleet") ? id
          : c.dimension().equals("region") && c.scope() ? "region=" + c.key() + "&" + id
          : Breakdown.isSingle(c.series()) ? Breakdown.pair(c.series(), id) : c.series() + "&" + id);
    }
    return new AlertLifecycle.Judged(AlertKind.ANOMALY, null, metric.field(), c.dimension(), c.key(), minute, value,
        level == null ? null : level.level(), null, score, c.counts().attempts(), named);
  }

  /** The open alerts' series, for tests and the README's claims. */
  public Set<String> openSeries() {
    Set<String> open = new HashSet<>();
    alerts.forEach((series, alert) -> {
      if (alert.isOpen()) {
        open.add(series);
      }
    });
    return open;
  }

  // ---- state encoding ---------------------------------------------------------------------------

  /** The version of the encoding {@link #writeTo} writes. */
  public static final int STATE_FORMAT = 2;

  public void writeTo(DataOutput out) throws IOException {
    out.writeInt(baselines.size());
    for (Map.Entry<String, Baseline> b : baselines.entrySet()) {
      out.writeUTF(b.getKey());
      b.getValue().writeTo(out);
    }
    out.writeInt(alerts.size());
    for (Map.Entry<String, AlertLifecycle> a : alerts.entrySet()) {
      out.writeUTF(a.getKey());
      a.getValue().writeTo(out);
    }
    // Format 2: the titles' attempts of the last minute judged.
    out.writeLong(lastMinute);
    out.writeInt(lastAttempts.size());
    for (Map.Entry<String, Long> a : lastAttempts.entrySet()) {
      out.writeUTF(a.getKey());
      out.writeLong(a.getValue());
    }
  }

  public static AnomalyDetector readFrom(DataInput in, int format, Settings settings) throws IOException {
    if (format != 1 && format != STATE_FORMAT) {
      throw new IOException("anomaly detector format " + format + " is not 1 or " + STATE_FORMAT);
    }
    AnomalyDetector d = new AnomalyDetector(settings);
    for (int i = in.readInt(); i > 0; i--) {
      d.baselines.put(in.readUTF(), Baseline.readFrom(in));
    }
    for (int i = in.readInt(); i > 0; i--) {
      d.alerts.put(in.readUTF(), AlertLifecycle.readFrom(in));
    }
    if (format >= 2) {
      d.lastMinute = in.readLong();
      for (int i = in.readInt(); i > 0; i--) {
        d.lastAttempts.put(in.readUTF(), in.readLong());
      }
    } // format 1 has no last minute: the first window after a restore is one minute long
    return d;
  }

  Optional<Baseline> baseline(String series) {
    return Optional.ofNullable(baselines.get(series));
  }
}
