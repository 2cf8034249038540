package io.caudal.transcode.core.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.testing.IntegrationTest;
import io.caudal.transcode.TestMedia;
import io.caudal.transcode.core.mp4.Fmp4;
import io.caudal.transcode.core.plan.ChunkPlan;
import io.caudal.transcode.core.plan.LadderBuilder;
import io.caudal.transcode.core.plan.RungTarget;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encoder path runs on the libraries inside the jar: a worker needs a JRE and nothing else. */
@IntegrationTest
class InProcessFfmpegTest {
  /** What any JVM on Linux maps anyway (glibc, the C++ runtime the JVM itself links, zlib). */
  // The C runtime, and glibc's name-service modules (libnss_*), which it loads for host lookups
  // as /etc/nsswitch.conf says: whichever a machine has installed, none is a media library.
  private static final Set<String> BASE_SYSTEM = Set.of("libc.so", "libm.so", "libmvec.so", "libdl.so",
      "libpthread.so", "librt.so", "libgcc_s.so", "libstdc++.so", "libz.so", "ld-linux-x86-64.so", "libresolv.so",
      "libnss_");

  @TempDir
  Path work;

  @Test
  void encodesAChunkIntoOneIdrStartedFragmentPerSegment() throws Exception {
    File source = TestMedia.standard();
    SourceInfo info = Prober.probe(source);
    ChunkPlan plan = ChunkPlan.plan(info.videoDurationMicros(), info.outputRate(), 2_000_000, 2, info.keyframeMicros());
    List<RungTarget> ladder = LadderBuilder.build(640, 360, plan.frameRate(), 0);

    List<File> files = ChunkEncoder.encode(source, info, plan, plan.chunks().get(1), ladder,
        EncoderSettings.defaults(), work.toFile());

    assertThat(files).hasSize(3);
    for (File file : files) {
      Fmp4.File mp4 = Fmp4.parse(Files.readAllBytes(file.toPath()));
      assertThat(mp4.init().timescale()).isEqualTo(90_000);
      assertThat(mp4.init().codecs()).startsWith("avc1.64");
      assertThat(mp4.fragments()).hasSize(1);
      Fmp4.Fragment fragment = mp4.fragments().get(0);
      assertThat(fragment.startsWithSync()).isTrue();
      assertThat(fragment.samples()).isEqualTo(60);
      assertThat(fragment.duration()).isEqualTo(180_000);
    }
  }

  @Test
  void rebasingMovesTheFragmentOntoTheTitleTimelineAndItStillDecodes() throws Exception {
    File source = TestMedia.standard();
    SourceInfo info = Prober.probe(source);
    ChunkPlan plan = ChunkPlan.plan(info.videoDurationMicros(), info.outputRate(), 2_000_000, 1, info.keyframeMicros());
    RungTarget rung = LadderBuilder.build(640, 360, plan.frameRate(), 0).get(1);
    File file = ChunkEncoder.encode(source, info, plan, plan.chunks().get(2), List.of(rung),
        EncoderSettings.defaults(), work.toFile()).get(0);
    Fmp4.File mp4 = Fmp4.parse(Files.readAllBytes(file.toPath()));

    byte[] moved = Fmp4.rebase(mp4.fragments().get(0), 360_000, 3);
    byte[] whole = concat(mp4.init().bytes(), moved);
    Fmp4.File reparsed = Fmp4.parse(whole);

    assertThat(reparsed.fragments().get(0).decodeTime()).isEqualTo(mp4.fragments().get(0).decodeTime() + 360_000);
    assertThat(moved.length).isEqualTo(mp4.fragments().get(0).bytes().length);
    File check = work.resolve("moved.mp4").toFile();
    Files.write(check.toPath(), whole);
    SegmentDecoder.Decoded decoded = SegmentDecoder.decode(check, true);
    assertThat(decoded.frames()).isEqualTo(60);
    assertThat(decoded.startsWithKeyframe()).isTrue();
  }

  @Test
  void loadsNoSystemMediaLibraryOnlyWhatTheJarShips() throws Exception {
    File source = TestMedia.standard();
    AudioTranscoder.encode(source, 2, 96_000, EncoderSettings.defaults(), work.resolve("a.mp4").toFile());
    SourceInfo info = Prober.probe(source);
    ChunkPlan plan = ChunkPlan.plan(info.videoDurationMicros(), info.outputRate(), 2_000_000, 8, info.keyframeMicros());
    ChunkEncoder.encode(source, info, plan, plan.chunks().get(0), LadderBuilder.build(640, 360, plan.frameRate(), 1),
        EncoderSettings.defaults(), work.toFile());

    String javaHome = Path.of(System.getProperty("java.home")).toRealPath().toString();
    String jarLibraries = org.bytedeco.javacpp.Loader.getCacheDir().toPath().toRealPath().toString();
    List<String> mapped = Files.readAllLines(Path.of("/proc/self/maps")).stream()
        .map(line -> line.replaceAll("^\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s*", ""))
        .filter(path -> path.contains(".so")).distinct().toList();
    List<String> ffmpeg = mapped.stream().filter(p -> p.contains("libavcodec")).toList();
    // Installed system libraries, as opposed to the JDK's and those extracted from jars.
    List<String> foreign = mapped.stream()
        .filter(p -> p.startsWith("/usr/") || p.startsWith("/lib") || p.startsWith("/opt/"))
        .filter(p -> !p.startsWith(javaHome))
        .filter(p -> BASE_SYSTEM.stream().noneMatch(base -> p.substring(p.lastIndexOf('/') + 1).startsWith(base)))
        .toList();

    assertThat(ffmpeg).as("libavcodec is mapped from the libraries extracted from the jar").isNotEmpty()
        .allSatisfy(p -> assertThat(p).startsWith(jarLibraries));
    assertThat(mapped).noneMatch(p -> p.contains("libpulse"));
    assertThat(mapped.stream().filter(p -> p.contains("libva"))).allSatisfy(p -> assertThat(p).startsWith(jarLibraries));
    assertThat(foreign).as("system libraries beyond the C runtime every JVM maps").isEmpty();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
