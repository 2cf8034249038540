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
