package io.caudal.sim.model;

import io.caudal.schemas.BitrateDecision;
import io.caudal.schemas.ReplicationRequest;
import io.caudal.schemas.SteeringDecision;
import io.caudal.schemas.UserRating;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * A fleet of players and media servers on a deterministic clock: one seeded {@link Random} drives
 * everything, so the same config and the same decisions give the same events. Each
 * {@link #step(EventSink)} advances one tick; decisions from qoe.bitrate and qoe.steering are
 * applied between steps.
 */
public final class Simulation {
  /** Region names in the order regions are opened; more regions are numbered. */
  static final List<String> REGION_NAMES =
      List.of("eu-west", "us-east", "ap-south", "sa-east", "eu-north", "us-west", "ap-east", "af-south");
  static final List<String> ISPS = List.of("isp-a", "isp-b", "isp-c");
  static final List<String> DEVICES = List.of("web", "web", "tv", "tv", "ios", "android");
  /** A title of ~2 GB on disk, for the free-disk figure. */
  static final long TITLE_BYTES = 2_000_000_000L;
  /** Share of a region's new sessions that ask for a hot title. */
  static final double HOT_TITLE_SHARE = 0.5;
  /** Categories each viewer prefers, when the titles have categories. */
  static final int FAVOURITE_CATEGORIES = 2;
  /** Share of a viewer's sessions spent on their favourite categories; the rest follows overall popularity. */
  static final double TASTE_SHARE = 0.8;

  /** One server assignment: a session waited from its request to getting a server. */
  public record Assignment(String sessionId, String region, long requestedAtMs, long assignedAtMs) {
    public long waitMs() {
      return assignedAtMs - requestedAtMs;
    }
  }

  /** A title the simulated viewers may pick, with how long it plays and its category (null: none given). */
  record PlayableTitle(String titleId, long durationMs, String category) {}

  private record Replication(long dueMs, String titleId, String serverId) {}

  private final SimConfig config;
  private final Random random;
  // Its own stream: whether and how viewers rate does not change what they watch.
  private final Random ratingRandom;
  private final List<String> regions = new ArrayList<>();
  private final Map<String, MediaServer> servers = new LinkedHashMap<>();
  private final Map<String, IspLink> links = new LinkedHashMap<>();
  private final List<PlayableTitle> titles = new ArrayList<>();
  private final double[] popularity;
  private final List<Player> players = new ArrayList<>();
  private final SteeringView steering = new SteeringView();
  private final BitrateCaps caps = new BitrateCaps();
  /** Share of the sessions that were on screen whose viewer rates the title afterwards. */
  static final double RATING_SHARE = 0.4;
  private static final long RATING_SEED = 0x5EED_0005L;
  /** Throughput share of a path to another region's server (more hops, longer RTT, transit links). */
  static final double CROSS_REGION_SHARE = 0.3;
  private final PriorityQueue<Fault> pendingFaults = new PriorityQueue<>(Comparator.comparingLong(Fault::atMs));
  private final PriorityQueue<Replication> pendingCopies =
      new PriorityQueue<>(Comparator.comparingLong(Replication::dueMs));
  private final Map<String, String> hotTitleByRegion = new HashMap<>();
  /** Each viewer's favourite categories, by user id; empty when the titles have no categories. */
  private final Map<String, List<String>> tastes = new HashMap<>();
  private final List<Assignment> assignments = new ArrayList<>();
  private final List<Fault> injected = new ArrayList<>();
  private long now;
  private long nextHealthMs;

  public Simulation(SimConfig config) {
    this(config, defaultRegionNames(config.regions()));
  }

  /** A simulation whose regions are named {@code regionNames} (one per configured region). */
  public Simulation(SimConfig config, List<String> regionNames) {
    if (regionNames.size() != config.regions()) {
      throw new IllegalArgumentException("need " + config.regions() + " region names, got " + regionNames);
    }
    this.config = config;
    this.random = new Random(config.seed());
    this.ratingRandom = new Random(config.seed() ^ RATING_SEED);
    this.now = config.startEpochMs();
    this.nextHealthMs = now;
    for (String region : regionNames) {
      regions.add(region);
      for (String isp : ISPS) {
        links.put(region + "/" + isp, new IspLink(region, isp));
      }
    }
    int[] perRegion = new int[config.regions()];
    for (int s = 0; s < config.servers(); s++) {
      int r = s % config.regions();
      String id = regions.get(r) + "-s" + (++perRegion[r]);
      servers.put(id, new MediaServer(id, regions.get(r), config.capacityMbps(), config.load(), TITLE_BYTES));
    }
    popularity = new double[config.titles()];
    double total = 0;
    for (int t = 0; t < config.titles(); t++) {
      long minutes = config.behaviour() == SessionBehaviour.STEADY ? 180 : 5 + random.nextInt(41);
      // A real catalog's title may come with its category and its duration: ID[:CATEGORY[:SECONDS]].
      String spec = config.titleIds().isEmpty() ? String.format("t%03d", t + 1) : config.titleIds().get(t);
      titles.add(playable(spec, minutes * 60_000));
      total += 1.0 / (t + 1); // Zipf, s = 1: the usual shape of VOD demand
      popularity[t] = total;
    }
    for (int t = 0; t < popularity.length; t++) {
      popularity[t] /= total;
    }
    placeTitles();
    for (int p = 0; p < config.players(); p++) {
      addViewer(regions.get(p % regions.size()), now + (long) (random.nextDouble() * config.arrivalSpreadMs()));
    }
    config.faults().forEach(pendingFaults::add);
  }

  /** Checks every title given as {@code ID[:CATEGORY[:SECONDS]]}. */
  public static void validateTitles(List<String> specs) {
    specs.forEach(spec -> playable(spec, 1));
  }

  /** {@code ID[:CATEGORY[:SECONDS]]}: a title to watch, its category and how long it plays (else {@code durationMs}). */
  static PlayableTitle playable(String spec, long durationMs) {
    String[] parts = spec.split(":", -1);
    if (parts.length > 3 || parts[0].isBlank() || (parts.length > 1 && parts[1].isBlank())) {
      throw new IllegalArgumentException("a title is ID[:CATEGORY[:SECONDS]], got '" + spec + "'");
    }
    long ms = durationMs;
    if (parts.length == 3) {
      try {
        ms = Math.round(Double.parseDouble(parts[2]) * 1000);
      } catch (NumberFormatException e) {
        ms = 0;
      }
      if (ms <= 0) {
        throw new IllegalArgumentException("a title's SECONDS must be a positive number, got '" + spec + "'");
      }
    }
    return new PlayableTitle(parts[0], ms, parts.length > 1 ? parts[1] : null);
  }

  /** eu-west, us-east, ... and then region-9, region-10, ... */
  public static List<String> defaultRegionNames(int count) {
    List<String> names = new ArrayList<>();
    for (int r = 0; r < count; r++) {
      names.add(r < REGION_NAMES.size() ? REGION_NAMES.get(r) : "region-" + (r + 1));
    }
    return names;
  }

  /** Each server holds each title with the configured chance; every region keeps every title. */
  private void placeTitles() {
    for (PlayableTitle title : titles) {
      for (MediaServer server : servers.values()) {
        if (random.nextDouble() < config.titleCopyShare()) {
          server.addTitle(title.titleId());
        }
      }
      for (String region : regions) {
        List<MediaServer> local = serversOf(region);
        if (local.stream().noneMatch(s -> s.holds(title.titleId()))) {
          local.get(random.nextInt(local.size())).addTitle(title.titleId());
        }
      }
    }
  }

  /** Adds a viewer in {@code region} whose first session starts at {@code firstSessionAtMs}. */
  public Player addViewer(String region, long firstSessionAtMs) {
    if (!regions.contains(region)) {
      throw new IllegalArgumentException("no region " + region + "; regions are " + regions);
    }
    IspLink link = links.get(region + "/" + ISPS.get(random.nextInt(ISPS.size())));
    // Viewers' own share of their ISP's typical throughput: most near it, some far below or above.
    PlayerPath path = new PlayerPath(link, Math.exp(0.5 * random.nextGaussian()));
    Player player = new Player(String.format("u%05d", players.size() + 1), region,
        DEVICES.get(random.nextInt(DEVICES.size())), path, config.ladder(), AbrRule.DEFAULT,
        config.heartbeatIntervalMs(), config.rtcpIntervalMs());
    player.scheduleNextSession(firstSessionAtMs);
    List<String> categories = titles.stream().map(PlayableTitle::category).filter(c -> c != null).distinct().toList();
    if (!categories.isEmpty()) {
      // Each viewer has tastes: a few favourite categories, so histories (and recommendations) differ.
      List<String> shuffled = new ArrayList<>(categories);
      java.util.Collections.shuffle(shuffled, random);
      tastes.put(player.userId(), List.copyOf(shuffled.subList(0, Math.min(FAVOURITE_CATEGORIES, shuffled.size()))));
    }
    players.add(player);
    return player;
  }

  // ---- decisions and faults --------------------------------------------------------------------

  /** A qoe.bitrate decision: the session's players obey the cap from the next tick. */
  public void apply(BitrateDecision decision) {
    caps.apply(decision);
  }

  /**
   * A qoe.steering decision: players of the region follow it from the next tick, and the copies
   * it requests are made, each landing after the replication delay.
   */
  public void apply(SteeringDecision decision) {
    if (!steering.apply(decision)) {
      return;
    }
    for (ReplicationRequest request : decision.getReplications()) {
      if (servers.containsKey(request.getServerId())) {
        pendingCopies.add(new Replication(now + config.replicationDelayMs(), request.getTitleId(),
            request.getServerId()));
      }
    }
  }

  /** Injects a fault now (in addition to the scheduled ones). */
  public void inject(Fault fault) {
    if (fault instanceof Fault.Cleared cleared) {
      clear(cleared.fault());
    } else if (fault instanceof Fault.ServerUnhealthy f) {
      server(f.serverId())
          .orElseThrow(() -> new IllegalArgumentException("fault server-unhealthy: no server " + f.serverId()
              + "; servers are " + servers.keySet()))
          .turnUnhealthy();
    } else if (fault instanceof Fault.IspDegrade f) {
      IspLink link = links.get(f.region() + "/" + f.isp());
      if (link == null) {
        throw new IllegalArgumentException("fault isp-degrade: no ISP " + f.isp() + " in region " + f.region()
            + "; regions are " + regions + ", ISPs " + ISPS);
      }
      link.degrade();
    } else if (fault instanceof Fault.HotTitle f) {
      if (!regions.contains(f.region())) {
        throw new IllegalArgumentException("fault hot-title: no region " + f.region() + "; regions are " + regions);
      }
      if (titles.stream().noneMatch(t -> t.titleId().equals(f.titleId()))) {
        throw new IllegalArgumentException("fault hot-title: no title " + f.titleId() + "; titles are t001-"
            + titles.get(titles.size() - 1).titleId());
      }
      hotTitleByRegion.put(f.region(), f.titleId());
      serversOf(f.region()).forEach(s -> s.removeTitle(f.titleId()));
      // Keep it somewhere so it can be copied back in: the first server of another region.
      if (servers.values().stream().noneMatch(s -> s.holds(f.titleId()))) {
        servers.values().stream().filter(s -> !s.region().equals(f.region())).findFirst()
            .ifPresent(s -> s.addTitle(f.titleId()));
      }
    }
    injected.add(fault);
  }

  /**
   * The share of its path's throughput a player gets from {@code server}: the server's own, and
   * a long-haul fraction of it when the server is in another region (a title no server of the
   * region holds, as during a hot-title fault before its copy lands).
   */
  private static double shareFor(Player player, MediaServer server) {
    return server.deliveredShare() * (server.region().equals(player.region()) ? 1 : CROSS_REGION_SHARE);
  }

  /** Ends a fault: the server recovers, the link moves again, the region's demand and copies are as before. */
  private void clear(Fault fault) {
    if (fault instanceof Fault.ServerUnhealthy f) {
      server(f.serverId()).ifPresent(MediaServer::recover);
    } else if (fault instanceof Fault.IspDegrade f) {
      IspLink link = links.get(f.region() + "/" + f.isp());
      if (link != null) {
        link.restore();
      }
    } else if (fault instanceof Fault.HotTitle f) {
      hotTitleByRegion.remove(f.region(), f.titleId());
      serversOf(f.region()).stream().findFirst().ifPresent(s -> s.addTitle(f.titleId()));
    }
  }

  /** Checks that every scheduled fault names a server, region, ISP or title of this simulation. */
  public static void validateFaults(SimConfig config) {
    SimConfig probe = config.withFaults(List.of());
    Simulation sim = new Simulation(new SimConfig(0, probe.servers(), probe.regions(), probe.titles(),
        probe.titleCopyShare(), probe.ladder(), probe.tickMs(), probe.heartbeatIntervalMs(), probe.rtcpIntervalMs(),
        probe.healthIntervalMs(), probe.arrivalSpreadMs(), probe.replicationDelayMs(), probe.capacityMbps(),
        probe.load(), probe.serverChoice(), probe.behaviour(), List.of(), probe.startEpochMs(), probe.seed(),
        probe.titleIds()));
    config.faults().forEach(sim::inject);
  }

  // ---- the clock -------------------------------------------------------------------------------

  /** Advances one tick, sending what happened in it to {@code sink}. */
  public void step(EventSink sink) {
    long tick = config.tickMs();
    long elapsed = now - config.startEpochMs();
    while (!pendingFaults.isEmpty() && pendingFaults.peek().atMs() <= elapsed) {
      inject(pendingFaults.poll());
    }
    while (!pendingCopies.isEmpty() && pendingCopies.peek().dueMs() <= now) {
      Replication copy = pendingCopies.poll();
      servers.get(copy.serverId()).addTitle(copy.titleId());
    }
    links.values().forEach(link -> link.step(tick, random));
    carryLoad();

    for (Player player : players) {
      if (player.state() == Player.State.IDLE && player.nextSessionAtMs() <= now) {
        PlayableTitle title = pickTitle(player);
        String known = serverFor(player.region(), title.titleId()).map(MediaServer::serverId)
            .orElse(Player.UNASSIGNED);
        player.request(now, Player.randomUuid(random), title.titleId(), title.durationMs(), known,
            config.behaviour(), random, sink);
      }
      int cap = caps.capOf(player.sessionId() == null ? "" : player.sessionId()).orElse(Integer.MAX_VALUE);
      Optional<MediaServer> wanted = wantedServer(player);
      if (player.state() == Player.State.WAITING_SERVER) {
        if (wanted.isPresent()) {
          NetworkSample sample = player.path().sample(random, shareFor(player, wanted.get()));
          player.assign(wanted.get(), now, sample, cap);
          assignments.add(new Assignment(player.sessionId(), player.region(), player.requestedAtMs(), now));
        }
      } else if (player.served() && wanted.isPresent() && !wanted.get().serverId().equals(player.serverId())) {
        player.assign(wanted.get(), now, null, cap); // steering moved it
      }
      boolean onScreen = player.started();
      if (player.state() == Player.State.IDLE || player.state() == Player.State.WAITING_SERVER) {
        player.tick(now, tick, null, cap, random, sink);
      } else {
        MediaServer server = servers.get(player.serverId());
        player.tick(now, tick, player.path().sample(random, shareFor(player, server)), cap, random, sink);
      }
      if (onScreen && player.state() == Player.State.IDLE) {
        maybeRate(player, sink);
      }
      if (player.state() == Player.State.IDLE && player.nextSessionAtMs() <= now) {
        caps.forget(player.sessionId());
        if (config.behaviour() == SessionBehaviour.STEADY) {
          player.scheduleNextSession(Long.MAX_VALUE);
        } else {
          player.scheduleNextSession(now + tick + 5_000 + random.nextInt(55_000));
        }
      }
    }

    now += tick;
    if (now >= nextHealthMs) {
      reportHealth(sink);
      nextHealthMs += config.healthIntervalMs();
    }
  }

  /** Each server's sessions and egress (the sum of its playing sessions' rungs) right now. */
  private Map<String, long[]> load() {
    Map<String, long[]> load = new HashMap<>();
    servers.keySet().forEach(id -> load.put(id, new long[2]));
    for (Player player : players) {
      if (player.served()) {
        long[] l = load.get(player.serverId());
        l[0]++;
        if (player.started()) {
          l[1] += player.bitrateKbps();
        }
      }
    }
    return load;
  }

  private void carryLoad() {
    load().forEach((id, l) -> servers.get(id).carry((int) l[0], l[1]));
  }

  private void reportHealth(EventSink sink) {
    Map<String, long[]> load = load();
    for (MediaServer server : servers.values()) {
      long[] l = load.get(server.serverId());
      sink.health(server.report(now, (int) l[0], l[1], config.healthIntervalMs(), random));
    }
  }

  /** The server the player should be on now: steering's choice, else (if allowed) the default pathway. */
  private Optional<MediaServer> wantedServer(Player player) {
    if (player.state() == Player.State.IDLE) {
      return Optional.empty();
    }
    if (player.served()) {
      if (config.serverChoice() == ServerChoice.STEERED_ONLY && steering.keeps(player.region(), player.serverId())) {
        return server(player.serverId()); // placed by the locator: stays unless its server must be left
      }
      // Moves only on steering; without a usable decision it stays where it is.
      return steering.serverFor(player.region(), player.titleId(), this::server);
    }
    return serverFor(player.region(), player.titleId());
  }

  /**
   * The server a new session in {@code region} for {@code titleId} gets: steering's first usable
   * server, or else (unless players wait for steering) the default pathway: the region's first
   * server holding the title, or any server holding it.
   */
  private Optional<MediaServer> serverFor(String region, String titleId) {
    Optional<MediaServer> steered = steering.serverFor(region, titleId, this::server);
    if (steered.isPresent() || config.serverChoice() == ServerChoice.STEERED_ONLY) {
      return steered;
    }
    return serversOf(region).stream().filter(s -> s.holds(titleId)).findFirst()
        .or(() -> servers.values().stream().filter(s -> s.holds(titleId)).findFirst());
  }

  /**
   * After a session that was on screen, the viewer may rate its title (1-5 stars): a title of a
   * favourite category gets more stars, and so does one watched further, as viewers rate.
   */
  private void maybeRate(Player player, EventSink sink) {
    if (ratingRandom.nextDouble() >= RATING_SHARE) {
      return;
    }
    List<String> favourites = tastes.get(player.userId());
    String category = title(player.titleId()).map(PlayableTitle::category).orElse(null);
    Boolean favourite = favourites == null || category == null ? null : favourites.contains(category);
    double watched = player.titleDurationMs() <= 0 ? 0 : (double) player.playheadMs() / player.titleDurationMs();
    sink.rating(UserRating.newBuilder().setUserId(player.userId()).setTitleId(player.titleId())
        .setStars(stars(favourite, watched, ratingRandom)).setRatedAt(now + config.tickMs()).build());
  }

  /**
   * A viewer's stars for a title: about 4 for a favourite category, 2.5 for another, 3 when the
   * catalog has no categories; half a star more for watching to the end, half less for leaving at once.
   */
  static int stars(Boolean favourite, double watchedFraction, Random random) {
    double base = favourite == null ? 3.0 : favourite ? 4.0 : 2.5;
    double score = base + (Math.min(1, watchedFraction) - 0.5) + 0.6 * random.nextGaussian();
    return (int) Math.max(1, Math.min(5, Math.round(score)));
  }

  private Optional<PlayableTitle> title(String titleId) {
    return titles.stream().filter(t -> t.titleId().equals(titleId)).findFirst();
  }

  private PlayableTitle pickTitle(Player player) {
    String hot = hotTitleByRegion.get(player.region());
    if (hot != null && random.nextDouble() < HOT_TITLE_SHARE) {
      return title(hot).orElseThrow();
    }
    List<String> favourites = tastes.get(player.userId());
    if (favourites != null && random.nextDouble() < TASTE_SHARE) {
      return pickFavourite(favourites);
    }
    double roll = random.nextDouble();
    for (int t = 0; t < popularity.length; t++) {
      if (roll <= popularity[t]) {
        return titles.get(t);
      }
    }
    return titles.get(titles.size() - 1);
  }

  // ---- what tests, the runner and the experiment read ------------------------------------------

  public SimConfig config() {
    return config;
  }

  /** The simulated clock, epoch milliseconds. */
  public long nowMs() {
    return now;
  }

  public long elapsedMs() {
    return now - config.startEpochMs();
  }

  public List<String> regions() {
    return List.copyOf(regions);
  }

  public List<MediaServer> servers() {
    return List.copyOf(servers.values());
  }

  public Optional<MediaServer> server(String serverId) {
    return Optional.ofNullable(servers.get(serverId));
  }

  public List<MediaServer> serversOf(String region) {
    return servers.values().stream().filter(s -> s.region().equals(region)).toList();
  }

  public List<Player> players() {
    return List.copyOf(players);
  }

  public List<String> titleIds() {
    return titles.stream().map(PlayableTitle::titleId).toList();
  }

  /** A viewer's favourite categories (empty when the titles have no categories). */
  public List<String> tastesOf(String userId) {
    return tastes.getOrDefault(userId, List.of());
  }

  /** A title of the favourite categories, by the same Zipf popularity among them. */
  private PlayableTitle pickFavourite(List<String> favourites) {
    List<Integer> liked = new ArrayList<>();
    double total = 0;
    for (int t = 0; t < titles.size(); t++) {
      if (favourites.contains(titles.get(t).category())) {
        liked.add(t);
        total += 1.0 / (t + 1);
      }
    }
    double roll = random.nextDouble() * total;
    for (int t : liked) {
      roll -= 1.0 / (t + 1);
      if (roll <= 0) {
        return titles.get(t);
      }
    }
    return titles.get(liked.get(liked.size() - 1));
  }

  public SteeringView steering() {
    return steering;
  }

  public BitrateCaps caps() {
    return caps;
  }

  /** Every server assignment so far, in order. */
  public List<Assignment> assignments() {
    return List.copyOf(assignments);
  }

  /** Faults injected so far, in order. */
  public List<Fault> injectedFaults() {
    return List.copyOf(injected);
  }
}
