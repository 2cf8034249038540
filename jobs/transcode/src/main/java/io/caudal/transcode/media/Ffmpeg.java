package io.caudal.transcode.media;

import static org.bytedeco.ffmpeg.global.avutil.*;

import org.bytedeco.javacpp.BytePointer;

/** Small helpers shared by the in-process FFmpeg code. */
public final class Ffmpeg {
  private Ffmpeg() {}

  static {
    // The job reports its own errors; libav* chatter on stderr would bury them.
    av_log_set_level(AV_LOG_FATAL);
  }

  public static String errorText(int code) {
    BytePointer buf = new BytePointer(256);
    av_strerror(code, buf, buf.capacity());
    return buf.getString() + " (" + code + ")";
  }

  /** Loads the libraries once; call before the first libav* call from a fresh JVM. */
  public static void init() {}
}
