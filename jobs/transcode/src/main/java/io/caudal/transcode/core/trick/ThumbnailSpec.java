package io.caudal.transcode.core.trick;

import java.io.Serializable;

/**
 * What thumbnails a title gets: one picture every {@code intervalMs}, {@code width} pixels wide,
 * tiled {@code columns} × {@code rows} into each JPEG sprite.
 *
 * @param intervalMs time between two thumbnails; 0 for none
 */
public record ThumbnailSpec(long intervalMs, int width, int columns, int rows) implements Serializable {
  public static final long DEFAULT_INTERVAL_MS = 10_000;
  public static final int DEFAULT_WIDTH = 320;
  public static final int DEFAULT_COLUMNS = 5;
  public static final int DEFAULT_ROWS = 5;

  public static final ThumbnailSpec DEFAULT =
      new ThumbnailSpec(DEFAULT_INTERVAL_MS, DEFAULT_WIDTH, DEFAULT_COLUMNS, DEFAULT_ROWS);

  public boolean isOff() {
    return intervalMs == 0;
  }

  /** Thumbnails of a video of this length: one at 0, then one every interval before its end. */
  public int countFor(long videoMicros) {
    return isOff() || videoMicros <= 0 ? 0 : (int) ((videoMicros - 1) / (intervalMs * 1000) + 1);
  }

  /**
   * A thumbnail's height for a picture displayed at {@code displayWidth} × {@code displayHeight}:
   * the display aspect kept, rounded to an even number (JPEG's 4:2:0 chroma), at least 2.
   */
  public int heightFor(int displayWidth, int displayHeight) {
    return Math.max(2, (int) Math.round(width * (double) displayHeight / displayWidth / 2) * 2);
  }
}
