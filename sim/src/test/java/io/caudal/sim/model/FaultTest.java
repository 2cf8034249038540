package io.caudal.sim.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FaultTest {

  @Test
  void parsesAFaultThatEndsAsTheFaultAndItsEnd() {
    Fault degrade = new Fault.IspDegrade("eu-west", "isp-a", 120_000);

    assertThat(Fault.parseAll("isp-degrade:eu-west/isp-a@2m+90s"))
        .containsExactly(degrade, new Fault.Cleared(degrade, 210_000));
    assertThat(Fault.parseAll("server-unhealthy:s1@60s")).containsExactly(new Fault.ServerUnhealthy("s1", 60_000));
    assertThatThrownBy(() -> Fault.parseAll("server-unhealthy:s1@60s+0"))
        .hasMessageContaining("the duration after + must be positive");
  }

  @Test
  void parsesEachKindWithItsTime() {
    assertThat(Fault.parse("server-unhealthy:eu-west-s1@60s"))
        .isEqualTo(new Fault.ServerUnhealthy("eu-west-s1", 60_000));
    assertThat(Fault.parse("isp-degrade:eu-west/isp-a@2m")).isEqualTo(new Fault.IspDegrade("eu-west", "isp-a", 120_000));
    assertThat(Fault.parse("hot-title:t007/us-east@90")).isEqualTo(new Fault.HotTitle("t007", "us-east", 90_000));
    assertThat(Fault.parse("server-unhealthy:s@500ms").atMs()).isEqualTo(500);
  }

  @Test
  void refusesAnUnknownKindByName() {
    assertThatThrownBy(() -> Fault.parse("server-on-fire:s1@10s"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown kind 'server-on-fire'");
  }

  @Test
  void refusesATargetOfTheWrongShape() {
    assertThatThrownBy(() -> Fault.parse("isp-degrade:eu-west@10s"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target must be REGION/ISP");
  }

  @Test
  void refusesAFaultWithoutATime() {
    assertThatThrownBy(() -> Fault.parse("server-unhealthy:s1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not KIND:TARGET@TIME");
  }
}
