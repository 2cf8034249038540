package io.caudal.transcode.core.trick;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import io.caudal.transcode.core.media.FrameScaler;
import io.caudal.transcode.core.media.MediaException;
import io.caudal.transcode.core.media.SourceFrames;
import io.caudal.transcode.core.media.SourceInfo;
import io.caudal.transcode.core.plan.FrameRate;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

/**
 * Makes a title's thumbnail sprites from its source: at each thumbnail's time the output grid's
 * frame there (the picture the rungs show), upright, scaled to the thumbnail size, tiled in time
 * order and written as JPEG. Each thumbnail is decoded from the last keyframe before it, so only
 * the pictures near the wanted times are decoded.
 *
 * <p>The JPEGs come from FFmpeg's mjpeg encoder, in-process like every other codec of the job:
 * the JDK's ImageIO would do as well, but Debian's JDK links the system libjpeg for it, and the
 * job keeps to the libraries its jar ships.
 */
public final class ThumbnailSprites {
  /** mjpeg's quantiser scale (2 best, 31 worst): thumbnails are seen small and briefly. */
  static final int JPEG_QSCALE = 4;

  /** Receives each sprite as it is made. */
  @FunctionalInterface
  public interface Sink {
    void write(int number, byte[] jpeg) throws IOException;
  }

  private ThumbnailSprites() {}

  /**
   * Makes every sprite of a title.
   *
   * @param rate the output's frame rate; {@code totalFrames} the output's frames
   * @return what was made; {@link ThumbnailTrack#NONE} when the spec asks for none
   */
  public static ThumbnailTrack make(File source, SourceInfo info, FrameRate rate, long totalFrames, ThumbnailSpec spec,
      int threads, Sink sink) throws IOException {
    int count = spec.countFor(rate.frameTimeMicros(totalFrames));
    if (count == 0 || !info.hasVideo()) {
      return ThumbnailTrack.NONE;
    }
    int width = spec.width();
    int height = spec.heightFor(info.displayWidth(), info.displayHeight());
    int perSprite = spec.columns() * spec.rows();
    String path = source.getPath();
    List<Long> sizes = new ArrayList<>();
    AVFrame sprite = av_frame_alloc();
    AVPacket packet = av_packet_alloc();
    AVCodecContext encoder = null;
    try (SourceFrames frames = new SourceFrames(path, info, rate, 0, totalFrames, 0, threads);
        // Full-range 4:2:0, as JPEG (JFIF) defines its samples.
        FrameScaler scaler = new FrameScaler(path, width, height, AV_PIX_FMT_YUVJ420P)) {
      sprite.format(AV_PIX_FMT_YUVJ420P);
      sprite.width(width * spec.columns());
      sprite.height(height * spec.rows());
      check(path, av_frame_get_buffer(sprite, 0), "allocate a sprite");
      encoder = openEncoder(path, sprite.width(), sprite.height());
      for (int first = 0; first < count; first += perSprite) {
        blacken(sprite);
        for (int i = first; i < Math.min(count, first + perSprite); i++) {
          long frame = gridFrame(rate, totalFrames, i * spec.intervalMs());
          frames.seekTo(frame, rate.frameTimeMicros(frame));
          int tile = i - first;
          paste(scaler.scale(frames.next()), sprite, (tile % spec.columns()) * width, (tile / spec.columns()) * height);
        }
        byte[] jpeg = encode(path, encoder, sprite, packet);
        sink.write(first / perSprite + 1, jpeg);
        sizes.add((long) jpeg.length);
      }
    } finally {
      if (encoder != null) {
        avcodec_free_context(encoder);
      }
      av_packet_free(packet);
      av_frame_free(sprite);
    }
    return new ThumbnailTrack(spec.intervalMs(), width, height, spec.columns(), spec.rows(), count, List.copyOf(sizes));
  }

  /** The output grid's frame shown at {@code ms}: the nearest one, the last one past the end. */
  public static long gridFrame(FrameRate rate, long totalFrames, long ms) {
    return Math.min(totalFrames - 1, rate.framesIn(ms * 1000));
  }

  private static AVCodecContext openEncoder(String path, int width, int height) {
    AVCodec codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    if (codec == null) {
      throw new MediaException(path, "no mjpeg encoder in this FFmpeg build");
    }
    AVCodecContext ctx = avcodec_alloc_context3(codec);
    ctx.width(width);
    ctx.height(height);
    ctx.pix_fmt(AV_PIX_FMT_YUVJ420P);
    ctx.color_range(AVCOL_RANGE_JPEG);
    ctx.time_base(av_make_q(1, 1));
    ctx.flags(ctx.flags() | AV_CODEC_FLAG_QSCALE);
    ctx.global_quality(FF_QP2LAMBDA * JPEG_QSCALE);
    check(path, avcodec_open2(ctx, codec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null), "open the mjpeg encoder");
    return ctx;
  }

  private static byte[] encode(String path, AVCodecContext encoder, AVFrame sprite, AVPacket packet) {
    // A JPEG is one intra picture: one frame in, one packet out.
    sprite.quality(encoder.global_quality());
    check(path, avcodec_send_frame(encoder, sprite), "encode a sprite");
    check(path, avcodec_receive_packet(encoder, packet), "encode a sprite");
    byte[] jpeg = new byte[packet.size()];
    packet.data().get(jpeg);
    av_packet_unref(packet);
    return jpeg;
  }

  /** Black in full-range YUV: luma 0, chroma 128. */
  private static void blacken(AVFrame sprite) {
    check("sprite", av_frame_make_writable(sprite), "write a sprite");
    for (int plane = 0; plane < 3; plane++) {
      int rows = plane == 0 ? sprite.height() : sprite.height() / 2;
      org.bytedeco.javacpp.Pointer.memset(sprite.data(plane), plane == 0 ? 0 : 128, (long) rows * sprite.linesize(plane));
    }
  }

  /** Copies a thumbnail into the sprite at (x, y); both even, so the chroma planes line up. */
  private static void paste(AVFrame thumbnail, AVFrame sprite, int x, int y) {
    for (int plane = 0; plane < 3; plane++) {
      int shift = plane == 0 ? 0 : 1;
      int rows = thumbnail.height() >> shift;
      byte[] row = new byte[thumbnail.width() >> shift];
      BytePointer from = thumbnail.data(plane);
      BytePointer to = sprite.data(plane);
      for (int r = 0; r < rows; r++) {
        from.position((long) r * thumbnail.linesize(plane)).get(row);
        to.position((long) ((y >> shift) + r) * sprite.linesize(plane) + (x >> shift)).put(row);
      }
    }
  }

  private static void check(String path, int ret, String what) {
    if (ret < 0) {
      throw new MediaException(path, "thumbnails: cannot " + what + ": " + io.caudal.transcode.core.media.Ffmpeg.errorText(ret));
    }
  }
}
