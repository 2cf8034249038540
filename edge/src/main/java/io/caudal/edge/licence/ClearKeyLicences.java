package io.caudal.edge.licence;

import io.caudal.edge.entitle.PlaybackToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides ClearKey licences: the keys asked for, as a JSON Web Key set, only when every one of them
 * belongs to the title the grant is for. One key of another title, or one unknown key id, refuses
 * the whole request: a page holding a grant for one title never gets a key of another.
 */
public final class ClearKeyLicences {

  private final ContentKeyIndex keys;

  public ClearKeyLicences(ContentKeyIndex keys) {
    this.keys = keys;
  }

  /**
   * @param grant the verified, unexpired grant the request came with
   * @param request the request body
   * @return the licence: {@code {"keys": [{"kty": "oct", "kid": .., "k": ..}], "type": "temporary"}}
   * @throws Refusal.Refused naming why no licence is given
   */
  public Map<String, Object> licence(PlaybackToken grant, byte[] request) throws Refusal.Refused, IOException {
    ClearKeyRequest asked;
    try {
      asked = ClearKeyRequest.parse(request);
    } catch (IllegalArgumentException e) {
      throw new Refusal.Refused(Refusal.MALFORMED, e.getMessage());
    }
    List<Map<String, String>> jwks = new ArrayList<>();
    for (String kid : asked.kids()) {
      Optional<ContentKeyIndex.TitleKey> found = keys.find(kid, grant.titleId());
      if (found.isEmpty()) {
        throw new Refusal.Refused(Refusal.UNKNOWN_KID, "no title has the key id " + kid);
      }
      if (!found.get().titleId().equals(grant.titleId())) {
        throw new Refusal.Refused(Refusal.OTHER_TITLE, "the key id " + kid + " is not a key of title "
            + grant.titleId() + ", the one this grant is for");
      }
      Map<String, String> jwk = new LinkedHashMap<>();
      jwk.put("kty", "oct");
      jwk.put("kid", ClearKeyRequest.base64urlOfHex(kid));
      jwk.put("k", ClearKeyRequest.base64url(found.get().key()));
      jwks.add(jwk);
    }
    Map<String, Object> licence = new LinkedHashMap<>();
    licence.put("keys", jwks);
    licence.put("type", "temporary");
    return licence;
  }
}
