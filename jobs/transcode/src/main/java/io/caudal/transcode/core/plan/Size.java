package io.caudal.transcode.core.plan;

import java.io.Serializable;

/** A picture size in pixels. */
public record Size(int width, int height) implements Serializable {
  public long pixels() {
    return (long) width * height;
  }

  /** Lines of the picture as a viewer names it: the short side ("720p" is 1280×720 or 720×1280). */
  public int lines() {
    return Math.min(width, height);
  }

  @Override
  public String toString() {
    return width + "x" + height;
  }
}
