package io.caudal.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.caudal.edge.entitle.PlaybackToken;
import io.caudal.edge.entitle.TokenSigner;
import io.caudal.edge.fleet.Replicator;
import io.caudal.edge.http.EdgeMetrics;
import io.caudal.schemas.ReplicationRequest;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.SampleTitles;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The origin, the catalog, ratings and replication with the root on HDFS (a MiniDFSCluster). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@IntegrationTest
class HdfsOriginTest {

  static final String TITLE = "t-hdfs";
  static final byte[] SECRET = "hdfs-test-secret-0123456789".getBytes(StandardCharsets.UTF_8);

  @TempDir static Path local;
  MiniDFSCluster hdfs;
  FileSystem fs;
  String root;
  EdgeServer edge;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, local.resolve("hdfs").toString());
    hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    hdfs.waitActive();
    fs = hdfs.getFileSystem();
    root = "hdfs://localhost:" + hdfs.getNameNodePort() + "/caudal";
    Path staged = local.resolve("staged");
    SampleTitles.writeTitle(staged, TITLE);
    SampleTitles.writeCatalog(staged, SampleTitles.entry(TITLE, "Deep Water", "nature"));
    fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(staged.resolve("vod").toUri()),
        new org.apache.hadoop.fs.Path("/caudal/vod"));
    fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(staged.resolve("tables").toUri()),
        new org.apache.hadoop.fs.Path("/caudal/tables"));
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    edge = EdgeServer.start(EdgeOptions.defaults(root, "127.0.0.1:" + closedPort, SECRET)
        .withKafkaTimeout(Duration.ofSeconds(2)));
  }

  @AfterAll
  void stop() throws Exception {
    if (edge != null) {
      edge.close();
    }
    if (hdfs != null) {
      hdfs.shutdown();
    }
  }

  String get(String path, String range, int expectedStatus, byte[][] body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(edge.url() + path));
    if (range != null) {
      request.header("Range", range);
    }
    HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).as(path).isEqualTo(expectedStatus);
    body[0] = response.body();
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  @Test
  void servesATitleFromHdfsWithRanges() throws Exception {
    String token = new TokenSigner(SECRET).sign(PlaybackToken.forTitle("u1", TITLE, System.currentTimeMillis() / 1000 + 600));
    byte[][] body = new byte[1][];
    get("/t/" + token + "/vod/" + TITLE + "/video/360p/seg-00001.m4s", null, 200, body);
    assertThat(body[0]).isEqualTo(SampleTitles.segmentBytes());
    get("/t/" + token + "/vod/" + TITLE + "/video/360p/seg-00001.m4s", "bytes=10-19", 206, body);
    assertThat(body[0]).isEqualTo(Arrays.copyOfRange(SampleTitles.segmentBytes(), 10, 20));
    assertThat(get("/t/" + token + "/vod/" + TITLE + "/master.m3u8", null, 200, body)).contains("PATHWAY-ID=\"edge-1\"");
  }

  @Test
  void readsTheCatalogAndKeepsRatingsOnHdfs() throws Exception {
    byte[][] body = new byte[1][];
    assertThat(get("/v1/titles?category=nature", null, 200, body)).contains("\"name\":\"Deep Water\"");
    String token = new TokenSigner(SECRET).sign(PlaybackToken.forTitle("u1", TITLE, System.currentTimeMillis() / 1000 + 600));
    HttpResponse<String> rated = http.send(HttpRequest.newBuilder(URI.create(edge.url() + "/v1/ratings"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"titleId\":\"" + TITLE + "\",\"stars\":5}"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(rated.statusCode()).isEqualTo(202);
    assertThat(Arrays.stream(fs.listStatus(new org.apache.hadoop.fs.Path("/caudal/tables/ratings")))
        .map(s -> s.getPath().getName()))
        .isNotEmpty().allMatch(name -> name.startsWith("ratings-") && name.endsWith(".parquet"));
  }

  @Test
  void replicatesATitleIntoAStoreOnHdfs() throws Exception {
    org.apache.hadoop.fs.Path store = new org.apache.hadoop.fs.Path("/caudal/edge/replica/vod");
    List<String> held = new CopyOnWriteArrayList<>();
    try (Replicator replicator = new Replicator(fs, new org.apache.hadoop.fs.Path("/caudal/vod"), fs, store,
        new Configuration(), new EdgeMetrics(), held::add)) {
      replicator.request(new ReplicationRequest(TITLE, "replica", "no_eligible_holder"));
      await().atMost(Duration.ofSeconds(30)).until(() -> held.contains(TITLE));
    }
    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(store, TITLE + "/video/360p/seg-00001.m4s"))) {
      assertThat(in.readAllBytes()).isEqualTo(SampleTitles.segmentBytes());
    }
    assertThat(Arrays.stream(fs.listStatus(store)).map(s -> s.getPath().getName())).containsExactly(TITLE);
  }
}
