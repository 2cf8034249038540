package io.caudal.transcode;

import static io.caudal.transcode.TranscodeRuns.filesUnder;
import static io.caudal.transcode.TranscodeRuns.transcode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.caudal.schemas.ProtectionScheme;
import io.caudal.schemas.TitleKeys;
import io.caudal.schemas.TrackClass;
import io.caudal.schemas.cli.UsageException;
import io.caudal.schemas.protect.MasterKey;
import io.caudal.schemas.protect.TitleKeyStore;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.spark.LocalSpark;
import io.caudal.transcode.core.media.MediaInput;
import io.caudal.transcode.core.mp4.CencBoxes;
import io.caudal.transcode.core.pkg.DashSchema;
import io.caudal.transcode.core.protect.AvcSliceHeaders;
import io.caudal.transcode.core.protect.TrackKey;
import io.caudal.transcode.sample.SampleMaker;
import io.caudal.transcode.spark.Progress;
import io.caudal.transcode.spark.Transcoder;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Protected titles end to end on Spark local[2]: FFmpeg's MP4 demuxer, handed the title's keys,
 * decrypts every rung and the audio back to exactly the frames of the clear title of the same source.
 */
@IntegrationTest
class ProtectedTranscodeTest {
  @RegisterExtension
  static final LocalSpark SPARK = new LocalSpark("caudal-protected-transcode-test");

  private static final List<String> TRACKS = List.of("video/360p", "video/268p", "video/216p", "audio/und-2ch");
  /** The tracks two encodes of one source write byte for byte alike: the source-size rung and the audio. */
  private static final List<String> UNSCALED = List.of("video/360p", "audio/und-2ch");
  private static final byte[] TEST_KEY = HexFormat.of().parseHex("8a6b2c1d0e9f4a3b5c6d7e8f90a1b2c3");

  @TempDir
  Path root;

  @ParameterizedTest
  @ValueSource(strings = {"cbcs", "cenc"})
  void anIndependentDecryptorGivesBackTheClearTitlesFramesOnEveryTrack(String scheme) throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Transcoder.Result clear = transcode(SPARK, TestMedia.standard(), root.toString());
    Transcoder.Result protectedTitle;
    String logged;
    try (CapturedLogs logs = new CapturedLogs()) {
      protectedTitle = transcodeLogged(log, "--protect", scheme);
      logged = logs.text();
    }

    assertThat(protectedTitle.titleId()).isNotEqualTo(clear.titleId());
    TitleKeys stored = new TitleKeyStore(root.toString(), new Configuration()).read(protectedTitle.titleId()).orElseThrow();
    assertThat(stored.getScheme()).isEqualTo(ProtectionScheme.valueOf(scheme.toUpperCase()));
    assertThat(stored.getKeys()).extracting(k -> k.getTrackClass()).containsExactly(TrackClass.AUDIO, TrackClass.SD);
    Map<String, byte[]> keys = MasterKey.resolve(root.toString(), null, null).unwrap(stored);

    Path clearDir = root.resolve("vod").resolve(clear.titleId());
    Path protectedDir = root.resolve("vod").resolve(protectedTitle.titleId());
    for (String track : TRACKS) {
      byte[] protectedInit = Files.readAllBytes(protectedDir.resolve(track + "/init.mp4"));
      assertThat(new String(protectedInit, StandardCharsets.ISO_8859_1))
          .contains(track.startsWith("audio") ? "enca" : "encv", "sinf", "frma", "schm", scheme, "tenc", "pssh");
      String kid = stored.getKeys().stream()
          .filter(k -> k.getTrackClass() == (track.startsWith("audio") ? TrackClass.AUDIO : TrackClass.SD))
          .findFirst().orElseThrow().getKid();
      assertThat(HexFormat.of().formatHex(protectedInit)).contains(kid);

      boolean video = !track.startsWith("audio");
      List<String> clearFrames = frameHashes(whole(clearDir.resolve(track)), video, null);
      assertThat(clearFrames).as(track).hasSizeGreaterThan(100);
      List<String> decrypted = frameHashes(whole(protectedDir.resolve(track)), video, keys.get(kid));
      boolean sameEncode = UNSCALED.contains(track) || sampleSizes(clearDir.resolve(track)).equals(sampleSizes(
          protectedDir.resolve(track)));
      if (sameEncode) {
        assertThat(decrypted).as(track + " decrypted").isEqualTo(clearFrames);
      } else {
        // libx264 does not always write a scaled rung alike twice (see the README): when the two
        // encodes' samples differ in size, they are compared by frame count; the clear title's
        // own bytes, encrypted by the job's code, are compared frame by frame below.
        assertThat(decrypted).as(track + " decrypted").hasSameSizeAs(clearFrames);
      }
      assertThat(frameHashes(protectedCopy(clearDir.resolve(track), ProtectionScheme.valueOf(scheme.toUpperCase()),
          video), video, TEST_KEY)).as(track + " encrypted from the clear title, decrypted").isEqualTo(clearFrames);
      byte[] firstSegment = Files.readAllBytes(protectedDir.resolve(track + "/seg-00001.m4s"));
      String boxes = new String(firstSegment, StandardCharsets.ISO_8859_1);
      if (video || scheme.equals("cenc")) {
        assertThat(boxes).contains("senc", "saiz", "saio");
      } else {
        // cbcs audio: constant IV, whole samples, so no per-sample information to carry.
        assertThat(boxes).doesNotContain("senc", "saiz", "saio");
      }
      // The samples really are encrypted: same length as the clear ones, other bytes.
      byte[] clearMdat = mdat(Files.readAllBytes(clearDir.resolve(track + "/seg-00001.m4s")));
      byte[] protectedMdat = mdat(firstSegment);
      assertThat(protectedMdat).as(track).isNotEqualTo(clearMdat);
      if (sameEncode) {
        assertThat(protectedMdat).as(track).hasSameSizeAs(clearMdat);
      }
    }
    DashSchema.validate(Files.readString(protectedDir.resolve("manifest.mpd")));
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("protecting with " + scheme);
    assertNoKeyIn(keys, log.toString(StandardCharsets.UTF_8), "the job's output");
    assertNoKeyIn(keys, logged, "the log (Spark's and the job's, INFO and above)");
    for (String file : filesUnder(root)) {
      if (!file.startsWith(TitleKeyStore.FOLDER + "/")) {
        String bytes = new String(Files.readAllBytes(root.resolve(file)), StandardCharsets.ISO_8859_1);
        assertNoKeyIn(keys, bytes, file);
      }
    }
  }

  @Test
  void theManifestsSignalTheSchemeAndEachTracksKeyId() throws Exception {
    Transcoder.Result result = transcodeLogged(new ByteArrayOutputStream(), "--protect", "cbcs");
    Path title = root.resolve("vod").resolve(result.titleId());
    TitleKeys stored = new TitleKeyStore(root.toString(), new Configuration()).read(result.titleId()).orElseThrow();
    String sd = stored.getKeys().stream().filter(k -> k.getTrackClass() == TrackClass.SD).findFirst().orElseThrow()
        .getKid();
    String sdUri = "data:text/plain;base64," + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sd));

    assertThat(Files.readString(title.resolve("video/360p/playlist.m3u8")))
        .contains("#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"" + sdUri + "\",KEYFORMAT=\"org.w3.clearkey\",KEYFORMATVERSIONS=\"1\"");
    assertThat(Files.readString(title.resolve("master.m3u8"))).contains("#EXT-X-SESSION-KEY:METHOD=SAMPLE-AES,URI=\""
        + sdUri + "\"");
    assertThat(Files.readString(title.resolve("manifest.mpd")))
        .contains("<ContentProtection schemeIdUri=\"urn:mpeg:dash:mp4protection:2011\" value=\"cbcs\" cenc:default_KID=\""
            + sd.substring(0, 8) + "-")
        .contains("<dashif:Laurl>../../licence/clearkey</dashif:Laurl>");
    // Every rung is SD here: one video set.
    assertThat(Files.readString(title.resolve("manifest.mpd"))).doesNotContain("adaptation-set-switching");
  }

  @Test
  void hdAndSdRungsGetKeysOfTheirOwnAndDashSetsOfTheirOwn() throws Exception {
    File source = TestMedia.get("hd-4s", SampleMaker.Spec.of(4, 1280, 720));
    Transcoder.Result result = transcode(SPARK, source, root.toString(), "--protect", "cenc", "--max-rungs", "2");

    Path title = root.resolve("vod").resolve(result.titleId());
    TitleKeys stored = new TitleKeyStore(root.toString(), new Configuration()).read(result.titleId()).orElseThrow();
    assertThat(stored.getKeys()).extracting(k -> k.getTrackClass())
        .containsExactly(TrackClass.AUDIO, TrackClass.SD, TrackClass.HD);
    assertThat(stored.getKeys()).extracting(k -> k.getKid()).doesNotHaveDuplicates();
    String hd = stored.getKeys().get(2).getKid();
    String sd = stored.getKeys().get(1).getKid();
    assertThat(filesUnder(title.resolve("video"))).contains("720p/init.mp4", "540p/init.mp4");
    assertThat(HexFormat.of().formatHex(Files.readAllBytes(title.resolve("video/720p/init.mp4")))).contains(hd)
        .doesNotContain(sd);
    assertThat(HexFormat.of().formatHex(Files.readAllBytes(title.resolve("video/540p/init.mp4")))).contains(sd)
        .doesNotContain(hd);
    String mpd = Files.readString(title.resolve("manifest.mpd"));
    DashSchema.validate(mpd);
    assertThat(mpd).contains("adaptation-set-switching", "value=\"cenc\"",
        hd.substring(0, 8) + "-" + hd.substring(8, 12), sd.substring(0, 8) + "-" + sd.substring(8, 12));
    // Two video sets (HD, SD) and audio; the thumbnails have an image set of their own.
    assertThat(mpd.split("contentType=\"video\"", -1)).hasSize(3);
    assertThat(mpd.split("contentType=\"audio\"", -1)).hasSize(2);
  }

  @Test
  void audioOnlyAndVideoOnlyTitlesAreProtectedWithTheKeysOfTheirTracksOnly() throws Exception {
    Transcoder.Result audioOnly = transcode(SPARK, TestMedia.get("audio-only", SampleMaker.Spec.of(5, 320, 180)
        .withoutVideo()), root.toString(), "--protect", "cbcs");
    Transcoder.Result videoOnly = transcode(SPARK, TestMedia.get("video-only", SampleMaker.Spec.of(4, 320, 180)
        .withoutAudio()), root.toString(), "--protect", "cenc");

    TitleKeyStore store = new TitleKeyStore(root.toString(), new Configuration());
    assertThat(store.read(audioOnly.titleId()).orElseThrow().getKeys()).extracting(k -> k.getTrackClass())
        .containsExactly(TrackClass.AUDIO);
    assertThat(store.read(videoOnly.titleId()).orElseThrow().getKeys()).extracting(k -> k.getTrackClass())
        .containsExactly(TrackClass.SD);
    for (Transcoder.Result title : List.of(audioOnly, videoOnly)) {
      Path dir = root.resolve("vod").resolve(title.titleId());
      DashSchema.validate(Files.readString(dir.resolve("manifest.mpd")));
      assertThat(Files.readString(dir.resolve("master.m3u8")).split("#EXT-X-SESSION-KEY:", -1)).hasSize(2);
    }
  }

  @Test
  void aRerunWithTheSameOptionsPublishesNothingAndKeepsTheKeys() throws Exception {
    Transcoder.Result first = transcodeLogged(new ByteArrayOutputStream(), "--protect", "cenc");
    TitleKeyStore store = new TitleKeyStore(root.toString(), new Configuration());
    TitleKeys keys = store.read(first.titleId()).orElseThrow();

    Transcoder.Result again = transcodeLogged(new ByteArrayOutputStream(), "--protect", "cenc");

    assertThat(again.published()).isFalse();
    assertThat(again.titleId()).isEqualTo(first.titleId());
    assertThat(store.read(first.titleId())).contains(keys);
  }

  @Test
  void aTitleWhoseKeysCannotBeStoredIsNotPublished() throws Exception {
    Files.writeString(root.resolve(TitleKeyStore.FOLDER), "a file where the keys folder should be");

    assertThatThrownBy(() -> transcodeLogged(new ByteArrayOutputStream(), "--protect", "cbcs"))
        .isInstanceOf(TranscodeException.class)
        .hasMessageContaining("not published: its keys cannot be stored under " + root);
    assertThat(filesUnder(root.resolve("vod"))).isEmpty();
    assertThat(filesUnder(root.resolve("tables"))).isEmpty();
  }

  @Test
  void aSharedRootWithoutAMasterKeyIsRefusedBeforeAnyWork() {
    assumeTrue(System.getenv(MasterKey.ENV) == null, "$" + MasterKey.ENV + " is set in this environment");
    TranscodeOptions options = TranscodeOptions.parse("--input", TestMedia.standard().getPath(), "--name", "n",
        "--category", "c", "--root", "hdfs://127.0.0.1:1/caudal", "--protect", "cbcs").orElseThrow();

    assertThatThrownBy(() -> new Transcoder(SPARK.context(), options, new Progress(System.out)).run())
        .isInstanceOf(UsageException.class)
        .hasMessage("protected titles need the master key: give --key-master-file or set $CAUDAL_KEY_MASTER"
            + " (only a local root makes its own)");
  }

  private Transcoder.Result transcodeLogged(ByteArrayOutputStream log, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("--input", TestMedia.standard().getPath(), "--name", "standard.mp4",
        "--category", "test", "--root", root.toString(), "--segment-seconds", "2", "--segments-per-chunk", "2",
        "--ladder", "fixed"));
    args.addAll(List.of(extra));
    PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
    return new Transcoder(SPARK.context(), TranscodeOptions.parse(args.toArray(String[]::new)).orElseThrow(),
        new Progress(out)).run();
  }

  private static void assertNoKeyIn(Map<String, byte[]> keys, String text, String where) {
    for (byte[] key : keys.values()) {
      assertThat(text).as(where).doesNotContain(HexFormat.of().formatHex(key))
          .doesNotContain(HexFormat.of().withUpperCase().formatHex(key))
          .doesNotContain(Base64.getEncoder().encodeToString(key))
          .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(key))
          .doesNotContain(new String(key, StandardCharsets.ISO_8859_1));
    }
  }

  private static byte[] mdat(byte[] segment) {
    int at = new String(segment, StandardCharsets.ISO_8859_1).indexOf("mdat") - 4;
    return java.util.Arrays.copyOfRange(segment, at, segment.length);
  }

  /** Everything logged through log4j (Spark's, Hadoop's, ours) at INFO and above while open. */
  private static final class CapturedLogs implements AutoCloseable {
    private final StringWriter text = new StringWriter();
    private final LoggerContext context = LoggerContext.getContext(false);
    private final LoggerConfig root = context.getConfiguration().getRootLogger();
    private final Level levelBefore = root.getLevel();
    private final WriterAppender appender = WriterAppender.newBuilder().setName("key-leak-check").setTarget(text)
        .setLayout(PatternLayout.newBuilder().withPattern("%p %c %m%n").build()).build();

    CapturedLogs() {
      appender.start();
      root.addAppender(appender, Level.ALL, null);
      root.setLevel(Level.INFO);
      context.updateLoggers();
    }

    String text() {
      return text.toString();
    }

    @Override
    public void close() {
      root.removeAppender(appender.getName());
      root.setLevel(levelBefore);
      context.updateLoggers();
      appender.stop();
    }
  }

  /** The size of every sample of a track, segment by segment, from the trun boxes (encryption keeps them). */
  private static List<Integer> sampleSizes(Path trackDir) throws Exception {
    List<Integer> sizes = new ArrayList<>();
    try (var segments = Files.list(trackDir)) {
      for (Path s : segments.filter(p -> p.getFileName().toString().endsWith(".m4s")).sorted().toList()) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(s));
        int trun = new String(b.array(), StandardCharsets.ISO_8859_1).indexOf("trun") - 4;
        int flags = b.getInt(trun + 8) & 0xFFFFFF;
        int count = b.getInt(trun + 12);
        int p = trun + 16 + ((flags & 0x001) != 0 ? 4 : 0) + ((flags & 0x004) != 0 ? 4 : 0);
        for (int i = 0; i < count; i++) {
          p += (flags & 0x100) != 0 ? 4 : 0;
          sizes.add((flags & 0x200) != 0 ? b.getInt(p) : -1);
          p += ((flags & 0x200) != 0 ? 4 : 0) + ((flags & 0x400) != 0 ? 4 : 0) + ((flags & 0x800) != 0 ? 4 : 0);
        }
      }
    }
    return sizes;
  }

  /**
   * A clear track's init and segments encrypted by the job's own code ({@code CencBoxes},
   * {@code SampleEncryptor}) with {@link #TEST_KEY}, in one file.
   */
  private static File protectedCopy(Path trackDir, ProtectionScheme scheme, boolean video) throws Exception {
    java.security.SecureRandom random = new java.security.SecureRandom();
    byte[] iv = new byte[16];
    random.nextBytes(iv);
    TrackKey key = new TrackKey(scheme, video ? TrackClass.SD : TrackClass.AUDIO, HexFormat.of().parseHex(
        "0123456789abcdef0123456789abcdef"), TEST_KEY, scheme == ProtectionScheme.CBCS ? iv : null);
    byte[] init = Files.readAllBytes(trackDir.resolve("init.mp4"));
    AvcSliceHeaders slices = video ? CencBoxes.sliceHeaders(init) : null;
    File file = Files.createTempFile("caudal-protected-copy", ".mp4").toFile();
    file.deleteOnExit();
    try (var out = Files.newOutputStream(file.toPath())) {
      out.write(CencBoxes.protectInit(init, key));
      try (var segments = Files.list(trackDir)) {
        for (Path s : segments.filter(p -> p.getFileName().toString().endsWith(".m4s")).sorted().toList()) {
          out.write(CencBoxes.protectFragment(Files.readAllBytes(s), key.encryptor(slices, random)));
        }
      }
    }
    return file;
  }

  /** The track's init and every segment in one file, as a player would append them. */
  private static File whole(Path trackDir) throws Exception {
    File file = Files.createTempFile("caudal-track", ".mp4").toFile();
    file.deleteOnExit();
    try (var out = Files.newOutputStream(file.toPath())) {
      out.write(Files.readAllBytes(trackDir.resolve("init.mp4")));
      try (var segments = Files.list(trackDir)) {
        for (Path s : segments.filter(p -> p.getFileName().toString().endsWith(".m4s")).sorted().toList()) {
          out.write(Files.readAllBytes(s));
        }
      }
    }
    return file;
  }

  /** A SHA-256 of every decoded frame's pixels or samples, in order. */
  private static List<String> frameHashes(File file, boolean video, byte[] key) throws Exception {
    List<String> hashes = new ArrayList<>();
    MediaInput opened = key == null ? MediaInput.ownOutput(file.getPath())
        : MediaInput.ownProtectedOutput(file.getPath(), key);
    try (MediaInput input = opened.openDecoder(video ? MediaInput.Kind.VIDEO : MediaInput.Kind.AUDIO, 1)) {
      AVFrame frame;
      while ((frame = input.nextFrame()) != null) {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        if (video) {
          for (int plane = 0; plane < 3; plane++) {
            int rows = plane == 0 ? frame.height() : (frame.height() + 1) / 2;
            int width = plane == 0 ? frame.width() : (frame.width() + 1) / 2;
            byte[] row = new byte[width];
            for (int y = 0; y < rows; y++) {
              frame.data(plane).position((long) y * frame.linesize(plane)).get(row);
              sha.update(row);
            }
            frame.data(plane).position(0);
          }
        } else {
          byte[] plane = new byte[frame.nb_samples() * 4];
          for (int c = 0; c < frame.ch_layout().nb_channels(); c++) {
            frame.data(c).position(0).get(plane);
            sha.update(plane);
          }
        }
        hashes.add(HexFormat.of().formatHex(sha.digest()));
      }
    }
    return hashes;
  }
}
