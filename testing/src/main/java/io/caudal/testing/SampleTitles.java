package io.caudal.testing;

import io.caudal.schemas.CatalogEntry;
import io.caudal.schemas.Rung;
import io.caudal.schemas.Tables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.specific.SpecificData;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

/**
 * A Caudal root laid out as transcode publishes it, with small stand-in files: a title folder
 * (manifests, one 360p rung, one segment) and its catalog row. For tests of what reads titles and
 * the catalog; tests of transcode itself make real media instead. Writing the catalog needs
 * parquet-avro and Hadoop's client on the test classpath.
 */
public final class SampleTitles {

  public static final String MASTER = """
      #EXTM3U
      #EXT-X-VERSION:7
      #EXT-X-INDEPENDENT-SEGMENTS
      #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac",NAME="Main",LANGUAGE="und",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/playlist.m3u8"
      #EXT-X-STREAM-INF:BANDWIDTH=900000,AVERAGE-BANDWIDTH=800000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=640x360,FRAME-RATE=30.000,AUDIO="aac"
      video/360p/playlist.m3u8
      """;

  public static final String MPD = """
      <?xml version="1.0" encoding="UTF-8"?>
      <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT8.000S">
        <Period id="0" start="PT0S">
          <AdaptationSet id="0" contentType="video" mimeType="video/mp4">
            <Representation id="360p" codecs="avc1.64001f" bandwidth="900000" width="640" height="360">
              <SegmentTemplate timescale="90000" initialization="video/360p/init.mp4" media="video/360p/seg-$Number%05d$.m4s" startNumber="1"/>
            </Representation>
          </AdaptationSet>
        </Period>
      </MPD>
      """;

  /** The size of the one stand-in segment. */
  public static final int SEGMENT_BYTES = 100_000;

  private SampleTitles() {}

  /** Writes {@code vod/<titleId>/} under {@code root} with one segment of {@link #segmentBytes()}. */
  public static void writeTitle(Path root, String titleId) throws IOException {
    Path title = root.resolve("vod").resolve(titleId);
    Files.createDirectories(title.resolve("video/360p"));
    Files.writeString(title.resolve("master.m3u8"), MASTER);
    Files.writeString(title.resolve("manifest.mpd"), MPD);
    Files.writeString(title.resolve("video/360p/playlist.m3u8"),
        "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:4.0,\nseg-00001.m4s\n#EXT-X-ENDLIST\n");
    Files.write(title.resolve("video/360p/init.mp4"), new byte[] {0, 0, 0, 8, 'f', 't', 'y', 'p'});
    Files.write(title.resolve("video/360p/seg-00001.m4s"), segmentBytes());
  }

  /** The stand-in segment: byte i is i % 251, so a wrong offset or a torn range shows. */
  public static byte[] segmentBytes() {
    byte[] bytes = new byte[SEGMENT_BYTES];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i % 251);
    }
    return bytes;
  }

  /** The catalog row of an 8-second title with one 360p rung. */
  public static CatalogEntry entry(String titleId, String name, String category) {
    return CatalogEntry.newBuilder()
        .setTitleId(titleId).setName(name).setCategory(category).setDurationMs(8000)
        .setWidth(640).setHeight(360).setHasVideo(true).setHasAudio(true)
        .setLadder(List.of(Rung.newBuilder().setRungId("360p").setWidth(640).setHeight(360)
            .setCodecs("avc1.64001f").setTargetKbps(800).setAverageKbps(780).setPeakKbps(900)
            .setBytes(SEGMENT_BYTES).build()))
        .setAudioBytes(0).setSegmentDurationMs(4000).setSourceUri("file:///src/" + titleId + ".mp4")
        .setCreatedAt(1_700_000_000_000L)
        .build();
  }

  /** Writes {@code tables/catalog/<titleId>.parquet} under {@code root}, as transcode does. */
  public static void writeCatalog(Path root, CatalogEntry entry) throws IOException {
    Path dir = root.resolve(Tables.CATALOG.path());
    Files.createDirectories(dir);
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir.resolve(entry.getTitleId() + ".parquet").toUri());
    try (ParquetWriter<CatalogEntry> writer = AvroParquetWriter.<CatalogEntry>builder(
            HadoopOutputFile.fromPath(file, new Configuration()))
        .withSchema(CatalogEntry.getClassSchema())
        .withDataModel(SpecificData.getForClass(CatalogEntry.class))
        .build()) {
      writer.write(entry);
    }
  }
}
