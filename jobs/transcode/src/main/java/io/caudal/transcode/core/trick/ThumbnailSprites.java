package io.caudal.transcode.core.trick;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;

import io.caudal.transcode.core.media.FrameScaler;
import io.caudal.transcode.core.media.SourceFrames;
import io.caudal.transcode.core.media.SourceInfo;
import io.caudal.transcode.core.plan.FrameRate;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

/**
 * Makes a title's thumbnail sprites from its source: at each thumbnail's time the output grid's
 * frame there (the picture the rungs show), upright, scaled to the thumbnail size, tiled in time
 * order and written as JPEG. Each thumbnail is decoded from the last keyframe before it, so only
 * the pictures near the wanted times are decoded.
 *
 * <p>The JPEGs come from the JDK's ImageIO: the sprite is assembled in a {@link BufferedImage}
 * anyway, and its encoder takes that image as it is, with an explicit quality, where FFmpeg's
 * mjpeg encoder would need the sprite converted back to full-range YUV and a codec context per
 * sprite for the same result.
 */
public final class ThumbnailSprites {
  /** JPEG quality: thumbnails are seen small and briefly. */
  static final float JPEG_QUALITY = 0.8f;

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
    List<Long> sizes = new ArrayList<>();
    try (SourceFrames frames = new SourceFrames(source.getPath(), info, rate, 0, totalFrames, 0, threads);
        FrameScaler scaler = new FrameScaler(source.getPath(), width, height, AV_PIX_FMT_BGR24)) {
      for (int first = 0; first < count; first += perSprite) {
        BufferedImage sprite = new BufferedImage(width * spec.columns(), height * spec.rows(),
            BufferedImage.TYPE_3BYTE_BGR);
        byte[] pixels = ((DataBufferByte) sprite.getRaster().getDataBuffer()).getData();
        for (int i = first; i < Math.min(count, first + perSprite); i++) {
          long frame = gridFrame(rate, totalFrames, i * spec.intervalMs());
          frames.seekTo(frame, rate.frameTimeMicros(frame));
          AVFrame picture = scaler.scale(frames.next());
          int tile = i - first;
          copy(picture, pixels, sprite.getWidth(), (tile % spec.columns()) * width, (tile / spec.columns()) * height,
              width, height);
        }
        byte[] jpeg = jpeg(sprite);
        sink.write(first / perSprite + 1, jpeg);
        sizes.add((long) jpeg.length);
      }
    }
    return new ThumbnailTrack(spec.intervalMs(), width, height, spec.columns(), spec.rows(), count, List.copyOf(sizes));
  }

  /** The output grid's frame shown at {@code ms}: the nearest one, the last one past the end. */
  public static long gridFrame(FrameRate rate, long totalFrames, long ms) {
    return Math.min(totalFrames - 1, rate.framesIn(ms * 1000));
  }

  private static void copy(AVFrame picture, byte[] pixels, int spriteWidth, int x, int y, int width, int height) {
    BytePointer data = picture.data(0);
    int lineSize = picture.linesize(0);
    byte[] row = new byte[width * 3];
    for (int line = 0; line < height; line++) {
      data.position((long) line * lineSize).get(row);
      System.arraycopy(row, 0, pixels, ((y + line) * spriteWidth + x) * 3, row.length);
    }
  }

  static byte[] jpeg(BufferedImage image) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(JPEG_QUALITY);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
