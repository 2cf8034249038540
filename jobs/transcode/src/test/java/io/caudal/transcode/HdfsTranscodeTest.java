package io.caudal.transcode;

import static io.caudal.transcode.TranscodeRuns.transcode;
import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.testing.IntegrationTest;
import io.caudal.testing.spark.LocalSpark;
import io.caudal.transcode.spark.Transcoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The same job with its input and its root on HDFS (a MiniDFSCluster). */
@IntegrationTest
class HdfsTranscodeTest {
  @RegisterExtension
  static final LocalSpark SPARK = new LocalSpark("caudal-transcode-hdfs-test");

  private static MiniDFSCluster hdfs;
  private static String namenode;

  @TempDir
  static Path hdfsBase;

  @BeforeAll
  static void startHdfs() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, hdfsBase.toString());
    hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    hdfs.waitActive();
    namenode = "hdfs://localhost:" + hdfs.getNameNodePort();
  }

  @AfterAll
  static void stopHdfs() {
    if (hdfs != null) {
      hdfs.shutdown();
    }
  }

  @Test
  void readsTheSourceFromHdfsAndPublishesTheTitleAndCatalogRowThere() throws Exception {
    FileSystem fs = hdfs.getFileSystem();
    org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path("/caudal/incoming/standard.mp4");
    fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(TestMedia.standard().getPath()), source);
    String root = namenode + "/caudal";

    Transcoder.Result result = transcode(SPARK, namenode + source, root);
    Transcoder.Result again = transcode(SPARK, namenode + source, root);

    assertThat(result.published()).isTrue();
    assertThat(again.published()).isFalse();
    List<String> files = list(fs, new org.apache.hadoop.fs.Path("/caudal/vod/" + result.titleId()));
    assertThat(files).contains("master.m3u8", "manifest.mpd", "audio/und-2ch/init.mp4", "video/360p/seg-00003.m4s",
        "video/268p/playlist.m3u8");
    assertThat(list(fs, new org.apache.hadoop.fs.Path("/caudal/tables/catalog")))
        .containsExactly(result.titleId() + ".parquet");
    assertThat(list(fs, new org.apache.hadoop.fs.Path("/caudal/vod/.staging"))).isEmpty();

    // What HDFS holds plays like what a local root holds.
    Path local = Files.createTempDirectory("caudal-hdfs-copy");
    fs.copyToLocalFile(new org.apache.hadoop.fs.Path("/caudal/vod/" + result.titleId()),
        new org.apache.hadoop.fs.Path(local.toString()));
    Path title = local.resolve(result.titleId());
    assertThat(PlaybackClient.playEveryStream(title.resolve("master.m3u8").toString()))
        .filteredOn(PlaybackClient.Played::video).extracting(PlaybackClient.Played::frames).containsOnly(180);
  }

  private static List<String> list(FileSystem fs, org.apache.hadoop.fs.Path dir) throws Exception {
    List<String> names = new ArrayList<>();
    if (!fs.exists(dir)) {
      return names;
    }
    String base = fs.getFileStatus(dir).getPath().toUri().getPath();
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
    while (it.hasNext()) {
      names.add(it.next().getPath().toUri().getPath().substring(base.length() + 1));
    }
    return names;
  }
}
