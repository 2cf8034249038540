package io.caudal.edge.entitle;

/**
 * What a playback token grants: one user may fetch the files under one path prefix of one title
 * until the expiry. A subscription (SVOD) or ad-supported (AVOD) grant is a long expiry; a rental
 * (TVOD) is the rental period.
 *
 * @param userId viewer account id
 * @param titleId the title the grant is for
 * @param pathPrefix path under the origin the grant covers, e.g. {@code vod/<titleId>/}
 * @param expiresAtSeconds epoch seconds after which the grant is void
 */
public record PlaybackToken(String userId, String titleId, String pathPrefix, long expiresAtSeconds) {

  public PlaybackToken {
    for (String part : new String[] {userId, titleId, pathPrefix}) {
      if (part == null || part.isEmpty() || part.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("token fields must be non-empty single lines");
      }
    }
  }

  /** A grant for the whole title. */
  public static PlaybackToken forTitle(String userId, String titleId, long expiresAtSeconds) {
    return new PlaybackToken(userId, titleId, "vod/" + titleId + "/", expiresAtSeconds);
  }
}
