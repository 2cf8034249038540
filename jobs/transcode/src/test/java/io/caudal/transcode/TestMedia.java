package io.caudal.transcode;

import io.caudal.transcode.sample.SampleMaker;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test media made with FFmpeg's own test sources, once per test JVM, in a temporary folder.
 * Small sizes and a few seconds keep every encode in the suite quick.
 */
public final class TestMedia {
  private static final Map<String, File> MADE = new ConcurrentHashMap<>();
  private static final File DIR;

  static {
    try {
      DIR = Files.createTempDirectory("caudal-test-media").toFile();
      DIR.deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private TestMedia() {}

  /** 6 s of 640×360 at 30 fps with stereo audio, a keyframe every 2 s. */
  public static File standard() {
    return get("standard", SampleMaker.Spec.of(6, 640, 360));
  }

  /**
   * 6 s of 320×180 with two tagged audio streams: English stereo about 17 dB quieter than the
   * sine's own level (near -35 LUFS) and French 5.1 8 dB louder (a loud mix, near -8 LUFS).
   */
  public static File englishStereoFrench51() {
    return get("en2-fr6", SampleMaker.Spec.of(6, 320, 180).withAudio(
        SampleMaker.AudioSpec.of("en", 2).withGainDb(-17), SampleMaker.AudioSpec.of("fr", 6).withGainDb(8)));
  }

  public static File get(String name, SampleMaker.Spec spec) {
    return MADE.computeIfAbsent(name, n -> {
      File file = new File(DIR, n + ".mp4");
      SampleMaker.make(spec, file);
      return file;
    });
  }

  /** A source made from {@code spec} with a mov_text stream in {@code language} ({@link SampleMaker#subtitleCues}). */
  public static File withSubtitleStream(String name, SampleMaker.Spec spec, String language) {
    return MADE.computeIfAbsent(name, n -> {
      File file = new File(DIR, n + ".mp4");
      SampleMaker.make(spec, file);
      SampleMaker.addSubtitleStream(file, language, spec.seconds());
      return file;
    });
  }

  /** A file with the given bytes, for inputs that are not media at all. */
  public static File bytes(String name, byte[] content) {
    File file = new File(DIR, name);
    try {
      Files.write(file.toPath(), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** The first {@code fraction} of {@code source}'s bytes. */
  public static File truncated(File source, double fraction) {
    try {
      byte[] all = Files.readAllBytes(source.toPath());
      return bytes("truncated-" + source.getName(), java.util.Arrays.copyOf(all, (int) (all.length * fraction)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
