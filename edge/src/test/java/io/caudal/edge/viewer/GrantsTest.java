package io.caudal.edge.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.edge.entitle.PlaybackToken;
import io.caudal.edge.entitle.TokenSigner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Grants by plan, at named instants: a subscription covers every title, a rental its title until it ends. */
class GrantsTest {

  static final TokenSigner SIGNER = new TokenSigner("grants-test-secret-0123456789".getBytes(StandardCharsets.UTF_8));
  static final Instant NOON = Instant.parse("2026-03-01T12:00:00Z");
  static final Viewer SUBSCRIBER = new Viewer("ana", Plan.SVOD);
  static final Viewer RENTER = new Viewer("ben", Plan.TVOD);

  final Grants grants = new Grants(SIGNER, new Rentals(Duration.ofHours(48)));

  @Test
  void aSubscriberGetsEveryTitleForADay() throws Exception {
    Grants.Grant grant = grants.play(SUBSCRIBER, "t1", NOON);
    PlaybackToken token = SIGNER.verify(grant.token(), NOON.getEpochSecond());
    assertThat(token).isEqualTo(PlaybackToken.forTitle("ana", "t1", NOON.plus(Duration.ofDays(1)).getEpochSecond()));
    assertThat(grant.rentalEndsAt()).isEmpty();
    assertThatThrownBy(() -> grants.rent(SUBSCRIBER, "t1", NOON)).isInstanceOf(Grants.NoGrant.class)
        .hasMessage("plan svod covers every title: nothing to rent");
  }

  @Test
  void aRenterPlaysARentedTitleUntilTheRentalEndsWhichIsTheTokensExpiry() throws Exception {
    assertThatThrownBy(() -> grants.play(RENTER, "t1", NOON)).isInstanceOf(Grants.NoGrant.class)
        .hasMessage("plan tvod: t1 is not rented; rent it first");
    Instant end = grants.rent(RENTER, "t1", NOON);
    assertThat(end).isEqualTo(NOON.plus(Duration.ofHours(48)));
    assertThat(grants.rent(RENTER, "t1", NOON.plus(Duration.ofHours(47)))).as("renting again keeps it").isEqualTo(end);

    Grants.Grant grant = grants.play(RENTER, "t1", NOON.plus(Duration.ofHours(47)));
    assertThat(grant.granted().expiresAtSeconds()).isEqualTo(end.getEpochSecond());
    assertThat(grant.rentalEndsAt()).contains(end);
    assertThatThrownBy(() -> grants.play(RENTER, "t2", NOON)).hasMessage("plan tvod: t2 is not rented; rent it first");

    assertThatThrownBy(() -> grants.play(RENTER, "t1", end)).isInstanceOf(Grants.NoGrant.class)
        .hasMessage("plan tvod: the rental of t1 ended at " + end);
    assertThatThrownBy(() -> SIGNER.verify(grant.token(), end.getEpochSecond()))
        .hasMessageStartingWith("playback token expired");
    // Renting after the end starts a new rental.
    assertThat(grants.rent(RENTER, "t1", end.plusSeconds(60))).isEqualTo(end.plusSeconds(60).plus(Duration.ofHours(48)));
  }
}
