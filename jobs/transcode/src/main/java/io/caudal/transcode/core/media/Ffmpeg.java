package io.caudal.transcode.core.media;

import static org.bytedeco.ffmpeg.global.avutil.*;


/** Small helpers shared by the in-process FFmpeg code. */
public final class Ffmpeg {
  private Ffmpeg() {}

  static {
    // The job reports its own errors; libav* chatter on stderr would bury them.
    av_log_set_level(AV_LOG_FATAL);
  }

  public static String errorText(int code) {
    byte[] buf = new byte[256];
    av_strerror(code, buf, buf.length);
    int end = 0;
    while (end < buf.length && buf[end] != 0) {
      end++;
    }
    return new String(buf, 0, end, java.nio.charset.StandardCharsets.UTF_8) + " (" + code + ")";
  }

  /** Loads the libraries once; call before the first libav* call from a fresh JVM. */
  public static void init() {}
}
