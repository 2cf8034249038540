package io.caudal.transcode.core.trick;

import java.io.Serializable;
import java.util.List;

/**
 * The thumbnails a title was given: JPEG sprites {@code thumbs/tile-NNNNN.jpg}, each a grid of
 * {@code columns} × {@code rows} thumbnails in time order, left to right then top to bottom;
 * the last sprite may be partly filled.
 *
 * @param width one thumbnail's width
 * @param height one thumbnail's height
 * @param count thumbnails in all
 * @param spriteBytes each sprite file's size, in order
 */
public record ThumbnailTrack(long intervalMs, int width, int height, int columns, int rows, int count,
    List<Long> spriteBytes) implements Serializable {

  public static final String DIR = "thumbs";

  /** A title without thumbnails. */
  public static final ThumbnailTrack NONE = new ThumbnailTrack(0, 0, 0, 0, 0, 0, List.of());

  public boolean isEmpty() {
    return count == 0;
  }

  public int perSprite() {
    return columns * rows;
  }

  public int sprites() {
    return spriteBytes.size();
  }

  public int spriteWidth() {
    return width * columns;
  }

  public int spriteHeight() {
    return height * rows;
  }

  /** Thumbnails in sprite {@code number} (1-based): a whole grid but for the last one. */
  public int thumbnailsIn(int number) {
    return Math.min(perSprite(), count - (number - 1) * perSprite());
  }

  /** Time a whole sprite covers, milliseconds. */
  public long spriteMs() {
    return intervalMs * perSprite();
  }

  /** A sprite's file name, relative to {@link #DIR}. */
  public static String fileName(int number) {
    return String.format("tile-%05d.jpg", number);
  }

  /** Highest bitrate of any one sprite over the time it covers: HLS BANDWIDTH, DASH bandwidth. */
  public long peakBitsPerSecond() {
    long peak = 0;
    for (int n = 1; n <= sprites(); n++) {
      double seconds = thumbnailsIn(n) * intervalMs / 1000.0;
      peak = Math.max(peak, (long) Math.ceil(spriteBytes.get(n - 1) * 8 / seconds));
    }
    return peak;
  }
}
