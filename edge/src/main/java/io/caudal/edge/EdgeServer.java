package io.caudal.edge;

import static io.caudal.edge.http.EdgeRoutes.Methods.ANY;
import static io.caudal.edge.http.EdgeRoutes.Methods.POST;
import static io.caudal.edge.http.EdgeRoutes.Methods.READ;
import static io.caudal.edge.http.EdgeRoutes.Methods.READ_OR_POST;

import io.caudal.edge.catalog.CatalogSearch;
import io.caudal.edge.catalog.RatingsWriter;
import io.caudal.edge.collect.CmcdCollector;
import io.caudal.edge.collect.KafkaPublisher;
import io.caudal.edge.entitle.Entitlement;
import io.caudal.edge.entitle.TokenSigner;
import io.caudal.edge.fleet.FleetListener;
import io.caudal.edge.fleet.HealthReporter;
import io.caudal.edge.fleet.Pathways;
import io.caudal.edge.fleet.Replicator;
import io.caudal.edge.fleet.ServerRegistry;
import io.caudal.edge.home.HomeTables;
import io.caudal.edge.http.CatalogHandler;
import io.caudal.edge.http.CollectorHandler;
import io.caudal.edge.http.EdgeMetrics;
import io.caudal.edge.http.EdgeRoutes;
import io.caudal.edge.http.HomeHandler;
import io.caudal.edge.http.MetricsHandler;
import io.caudal.edge.http.OriginHandler;
import io.caudal.edge.http.PlayerPageHandler;
import io.caudal.edge.http.RatingsHandler;
import io.caudal.edge.http.ServersHandler;
import io.caudal.edge.http.SteeringHandler;
import io.caudal.edge.http.Uploads;
import io.caudal.edge.http.ViewerHandler;
import io.caudal.edge.licence.ContentKeyIndex;
import io.caudal.edge.licence.LicenceEndpoint;
import io.caudal.edge.origin.TitleFiles;
import io.caudal.edge.steer.SteeringBook;
import io.caudal.edge.viewer.Grants;
import io.caudal.edge.viewer.Rentals;
import io.caudal.edge.viewer.SignInThrottle;
import io.caudal.edge.viewer.ViewerAccounts;
import io.caudal.edge.viewer.ViewerSessions;
import io.caudal.schemas.TableReader;
import io.caudal.schemas.Tables;
import io.caudal.schemas.Topics;
import io.caudal.schemas.cli.UsageException;
import io.caudal.schemas.protect.MasterKey;
import io.caudal.schemas.protect.TitleKeyStore;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One edge server of the fleet: the HTTP service and the work it does in the background. */
public final class EdgeServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EdgeServer.class);
  /** A viewer stays signed in through an evening of watching without a request. */
  static final Duration VIEWER_SESSION_IDLE = Duration.ofHours(12);

  private final EdgeOptions options;
  private final Server jetty;
  private final KafkaPublisher kafka;
  private final FleetListener fleet;
  private final Replicator replicator;
  private final RatingsWriter ratings;
  private final HealthReporter health;
  private final TitleFiles files;
  private final ScheduledExecutorService scheduler;
  private final TokenSigner signer;
  private final Uploads uploads;
  private final HomeTables home;

  private EdgeServer(EdgeOptions requested) throws Exception {
    Configuration conf = new Configuration();
    Path root = new Path(requested.root());
    FileSystem rootFs = root.getFileSystem(conf);
    Path library = new Path(root, "vod");
    Path store = new Path(requested.storeOrDefault());
    FileSystem storeFs = store.getFileSystem(conf);
    storeFs.mkdirs(store);

    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("edge-http");
    jetty = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    // Let encoded dots and slashes reach the origin, which refuses them with a 403 and the reason.
    http.setUriCompliance(UriCompliance.UNSAFE);
    ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
    connector.setHost(requested.host());
    connector.setPort(requested.port());
    connector.open();
    jetty.addConnector(connector);
    int port = connector.getLocalPort();
    String publicUrl = requested.publicUrl() != null ? requested.publicUrl().replaceAll("/+$", "")
        : "http://" + requested.host() + ":" + port;
    options = new EdgeOptions(port, requested.host(), requested.root(), store.toString(), requested.serverId(),
        requested.region(), publicUrl, requested.pathways(), requested.bootstrapServers(), requested.secret(),
        requested.healthInterval(), requested.capacityMbps(), requested.cacheBytes(), requested.maxBodyBytes(),
        requested.kafkaTimeout(), requested.guards(), requested.viewers(), requested.keyMasterFile());

    EdgeMetrics metrics = new EdgeMetrics();
    signer = new TokenSigner(options.secret(), options.guards().maxGrantLifetime().toSeconds());
    files = new TitleFiles(storeFs, store, rootFs, library, options.cacheBytes());
    kafka = KafkaPublisher.connect(options.bootstrapServers(), "edge-" + options.serverId(), options.kafkaTimeout(), metrics);
    SteeringBook steeringBook = new SteeringBook();
    ServerRegistry servers = new ServerRegistry();
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "edge-health");
      t.setDaemon(true);
      return t;
    });
    replicator = new Replicator(rootFs, library, storeFs, store, conf, metrics, title -> {
      files.forget(title);
      LOG.info("{} now holds {}", options.serverId(), title);
      scheduler.execute(this::reportHealth);
    });
    // Home rows, similar titles and rating averages, from memory; new ratings are taken up once written.
    home = new HomeTables(requested.root(), conf, System::currentTimeMillis).start();
    ratings = new RatingsWriter(rootFs, new Path(new Path(root, "tables"), Tables.RATINGS.name()), conf,
        home::ratingsArrived);
    CatalogSearch catalog = new CatalogSearch(TableReader.of(Tables.CATALOG, requested.root(), conf));
    CmcdCollector cmcd = new CmcdCollector(kafka, options.serverId(), options.region(), metrics);
    health = new HealthReporter(options.serverId(), options.region(), options.publicUrl(), options.capacityMbps(),
        storeFs, store, replicator::pendingBytes, cmcd::activeSessions, metrics::bytesOutTotal);
    metrics.gauge("edge_active_sessions", "Sessions that sent CMCD data in the last minute", cmcd::activeSessions);
    fleet = new FleetListener(options.bootstrapServers(), steeringBook, servers, options.serverId(), replicator::request,
        metrics);

    // The region's other servers join as their health reports arrive; --pathway entries override them.
    Pathways pathways = new Pathways(options.serverId(), options.publicUrl(), options.region(), options.pathways(),
        servers);
    OriginHandler origin = new OriginHandler(new Entitlement(signer), files, pathways::current, options.publicUrl(),
        options.region(), cmcd, metrics);
    SteeringHandler steering = new SteeringHandler(steeringBook, () -> pathways.current().keySet(),
        options.publicUrl(), metrics, options.region());
    CollectorHandler collector = new CollectorHandler(kafka, cmcd, metrics, signer, options.serverId(),
        options.region());
    CatalogHandler catalogHandler = new CatalogHandler(catalog, entry -> home.current().rated(entry));
    HomeHandler homeHandler = new HomeHandler(home);
    RatingsHandler ratingsHandler = new RatingsHandler(catalog, ratings, signer);
    ServersHandler serversHandler = new ServersHandler(servers, pathways::current);
    MetricsHandler metricsHandler = new MetricsHandler(metrics);
    PlayerPageHandler player = new PlayerPageHandler();
    ViewerHandler viewer = viewerApp(options, signer, catalog);
    LicenceEndpoint licences = licences(options, conf, signer, metrics);
    // Path, the route its requests are counted under, the methods it takes, and what answers it.
    EdgeOptions.Guards guards = options.guards();
    uploads = new Uploads(new Uploads.Limits(guards.maxUploads(), guards.maxUploadsPerClient(), guards.bodyTimeout(),
        guards.minBodyBytesPerSecond(), options.maxBodyBytes()));
    metrics.gauge("edge_uploads_in_progress", "Request bodies being received or answered", uploads::inProgress);
    EdgeRoutes routes = new EdgeRoutes(metrics, threads, uploads)
        .blocking("/t/*", "origin", READ, origin::serve)
        .blocking("/vod/*", "origin", ANY, origin::refuseUnsigned)
        .inPlace("/steering/hls/*", "steering_hls", READ, steering::hls)
        .inPlace("/steering/dash/*", "steering_dash", READ, steering::dash)
        .upload("/v1/events", "events", POST, collector::events)
        .upload("/v1/cmcd", "cmcd", READ_OR_POST, collector::cmcd)
        .blocking("/v1/titles", "titles", READ, catalogHandler::titles)
        // Viewers' home rows and similar titles, answered from memory; /v1/titles/<id> stays the catalog's.
        .inPlace("/v1/users/*", "home", READ, homeHandler::home)
        .blocking("/v1/titles/*", "titles", READ, homeHandler.similarOr(catalogHandler::titles))
        .upload("/v1/ratings", "ratings", POST, ratingsHandler::rate)
        .blocking("/v1/servers", "servers", READ, serversHandler::list)
        .blocking("/metrics", "metrics", READ, metricsHandler::scrape)
        .blocking("/play/*", "player", READ, player::page)
        .blocking("/static/player.js", "static", READ, player::script)
        .blocking("/favicon.ico", "static", ANY, player::favicon)
        // The viewer app: its page, sign-in, and the grants it asks for by plan.
        .blocking("/app", "viewer_app", READ, viewer::redirectToApp)
        .blocking("/app/*", "viewer_app", READ, viewer::page)
        .blocking("/static/app.js", "static", READ, viewer::script)
        .blocking("/v1/viewer/session", "viewer_session", READ, viewer::session)
        .uploadWithOwnCredential("/v1/viewer/login", "viewer_login", POST, viewer::login)
        .uploadWithOwnCredential("/v1/viewer/logout", "viewer_session", POST, viewer::logout)
        .uploadWithOwnCredential("/v1/viewer/rent/*", "viewer_rent", POST, viewer::rent)
        .uploadWithOwnCredential("/v1/viewer/play/*", "viewer_play", POST, viewer::play)
        .blocking("/", EdgeRoutes.OTHER, ANY, EdgeRoutes::notFound)
        // Protected titles: ClearKey licences for the grant in the path, which the manifests' URLs carry.
        .signedUpload(LicenceEndpoint.PATH, "licence", POST, licences::grant, licences::answer)
        .allowOrigins(allowedOrigins(options))
        .uploadsNeedCredentials(signer);

    jetty.setHandler(routes);
    jetty.setStopTimeout(2000);
    jetty.start();
    fleet.start();
    scheduler.scheduleWithFixedDelay(this::reportHealth, 0, options.healthInterval().toMillis(), TimeUnit.MILLISECONDS);
    LOG.info("edge {} (region {}) listening on {}, store {}", options.serverId(), options.region(), publicUrl, store);
  }

  /** The viewer app's sign-in and grants: the viewers file and demo viewers, sessions, rentals. */
  private static ViewerHandler viewerApp(EdgeOptions options, TokenSigner signer, CatalogSearch catalog)
      throws IOException {
    EdgeOptions.Viewers viewers = options.viewers();
    ViewerAccounts accounts = ViewerAccounts.load(viewers.usersFile(), viewers.demo() ? viewers.demoViewers() : 0);
    Rentals rentals = new Rentals(viewers.rentalPeriod());
    Clock clock = Clock.systemUTC();
    return new ViewerHandler(accounts, new ViewerSessions(clock, VIEWER_SESSION_IDLE),
        new SignInThrottle(SignInThrottle.Policy.DEFAULT, clock), new Grants(signer, rentals), rentals, catalog, clock);
  }

  /**
   * The licence server, over the keys of {@code <root>/keys/} unwrapped with the master key. A root
   * without one (a shared root given neither --key-master-file nor $CAUDAL_KEY_MASTER) still serves its
   * clear titles; its licence requests are answered 503 naming what is missing.
   */
  private static LicenceEndpoint licences(EdgeOptions options, Configuration conf, TokenSigner signer,
      EdgeMetrics metrics) throws IOException {
    MasterKey master;
    try {
      master = MasterKey.resolve(options.root(), options.keyMasterFile(), System.getenv(MasterKey.ENV));
    } catch (UsageException e) {
      if (options.keyMasterFile() != null) {
        throw e;
      }
      LOG.warn("no licences for protected titles: {}", e.getMessage());
      return LicenceEndpoint.unavailable(signer, "this server has no master key for protected titles",
          metrics.registry());
    }
    LOG.info("licences for protected titles with master key {}", master.id());
    return LicenceEndpoint.serving(signer, new ContentKeyIndex(new TitleKeyStore(options.root(), conf), master),
        metrics.registry());
  }

  /** The origins given, else this server's and its pathways': the pages of the fleet's own player. */
  static Set<String> allowedOrigins(EdgeOptions options) {
    List<String> urls = options.guards().allowedOrigins().isEmpty()
        ? List.copyOf(options.allPathways().values()) : options.guards().allowedOrigins();
    Set<String> origins = new LinkedHashSet<>();
    for (String url : urls) {
      URI uri = URI.create(url);
      origins.add(uri.getScheme() + "://" + uri.getRawAuthority());
    }
    return origins;
  }

  /** Starts a server; the options' port 0 picks a free one. */
  public static EdgeServer start(EdgeOptions options) throws Exception {
    return new EdgeServer(options);
  }

  /** The options in force, with the bound port, the public URL and the store filled in. */
  public EdgeOptions options() {
    return options;
  }

  public String url() {
    return options.publicUrl();
  }

  public TokenSigner signer() {
    return signer;
  }

  private void reportHealth() {
    try {
      kafka.send(Topics.SERVER_HEALTH, health.report(System.currentTimeMillis()));
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not take a health report: {}", e.toString());
    }
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    jetty.join();
  }

  @Override
  public void close() throws Exception {
    scheduler.shutdownNow();
    jetty.stop();
    uploads.close();
    fleet.close();
    replicator.close();
    ratings.close();
    home.close();
    kafka.close();
  }
}
