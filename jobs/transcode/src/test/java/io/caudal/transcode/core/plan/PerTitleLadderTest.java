package io.caudal.transcode.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hull and rung choice on hand-made probe points. */
class PerTitleLadderTest {
  private static final Size FHD = new Size(1920, 1080);
  private static final Size HD = new Size(1280, 720);
  private static final Size SD = new Size(640, 360);
  /** The points below are made around these targets (the defaults' scale, shifted). */
  private static final PerTitleLadder.Targets TARGETS = new PerTitleLadder.Targets(18.2, 0.4, 1.6, 150, 1.45, 3, 6);

  /** A cartoon: full size reaches the target at a few hundred kbit/s. */
  private static List<ProbePoint> easy() {
    return List.of(
        p(FHD, 22, 1200, 21.0), p(FHD, 28, 600, 19.0), p(FHD, 34, 300, 16.5),
        p(HD, 22, 800, 18.6), p(HD, 28, 400, 17.4), p(HD, 34, 200, 15.5),
        p(SD, 22, 300, 15.2), p(SD, 28, 160, 14.5), p(SD, 34, 90, 13.0));
  }

  /** Grain: every size needs megabits, and small sizes win at low rates. */
  private static List<ProbePoint> hard() {
    return List.of(
        p(FHD, 22, 16000, 19.0), p(FHD, 28, 8000, 16.0), p(FHD, 34, 4000, 12.5),
        p(HD, 22, 8000, 16.5), p(HD, 28, 4000, 14.2), p(HD, 34, 2000, 11.8),
        p(SD, 22, 2500, 12.5), p(SD, 28, 1200, 11.0), p(SD, 34, 600, 9.5));
  }

  private static ProbePoint p(Size size, int crf, double kbps, double quality) {
    return new ProbePoint(size, crf, kbps, quality);
  }

  @Test
  void hullKeepsOnlyPointsNoOtherSizeBeatsAndEndsAtTheBestQuality() {
    List<ProbePoint> hull = PerTitleLadder.hull(hard());

    assertThat(hull).extracting(ProbePoint::kbps).isSorted();
    assertThat(hull).extracting(ProbePoint::quality).isSorted();
    assertThat(hull.get(0)).isEqualTo(p(SD, 34, 600, 9.5));
    assertThat(hull.get(hull.size() - 1)).isEqualTo(p(FHD, 22, 16000, 19.0));
    // Nothing lies above the hull.
    for (ProbePoint point : hard()) {
      assertThat(PerTitleLadder.qualityAt(hull, point.x())).isGreaterThanOrEqualTo(point.quality() - 1e-9);
    }
    // 1280x720 at CRF 22 is beaten by 1920x1080 at the same bits: not on the hull.
    assertThat(hull).doesNotContain(p(HD, 22, 8000, 16.5));
  }

  @Test
  void topRungMeetsTheQualityTargetAndEasyContentGetsFarFewerBits() {
    PerTitleLadder.Ladder easy = PerTitleLadder.choose(easy(), TARGETS);
    PerTitleLadder.Ladder hard = PerTitleLadder.choose(hard(), TARGETS);

    assertThat(easy.rungs().get(0).predictedQuality()).isCloseTo(TARGETS.topQuality(), org.assertj.core.data.Offset.offset(0.1));
    assertThat(easy.rungs().get(0).reason()).isEqualTo("top: quality target");
    assertThat(easy.rungs().get(0).rung().size()).isEqualTo(FHD);
    assertThat(hard.rungs().get(0).rung().targetKbps()).isGreaterThan(10 * easy.rungs().get(0).rung().targetKbps());
  }

  @Test
  void rungsStepDownInBitsAndSizeAndLowRungsUseTheSizeThatIsBestThere() {
    for (List<ProbePoint> points : List.of(easy(), hard())) {
      List<RungTarget> rungs = PerTitleLadder.choose(points, TARGETS).targets();

      assertThat(rungs).hasSizeBetween(TARGETS.minRungs(), TARGETS.maxRungs());
      for (int i = 0; i + 1 < rungs.size(); i++) {
        assertThat((double) rungs.get(i).targetKbps() / rungs.get(i + 1).targetKbps())
            .isGreaterThanOrEqualTo(TARGETS.minRatio() - 0.05);
        assertThat(rungs.get(i).size().pixels()).isGreaterThanOrEqualTo(rungs.get(i + 1).size().pixels());
      }
      assertThat(rungs.get(rungs.size() - 1).size()).isNotEqualTo(FHD);
    }
  }

  @Test
  void bottomRungSitsOnTheFloor() {
    List<PerTitleLadder.Chosen> rungs = PerTitleLadder.choose(hard(), TARGETS).rungs();

    assertThat(rungs.get(rungs.size() - 1).rung().targetKbps()).isEqualTo(TARGETS.floorKbps());
    assertThat(rungs.get(rungs.size() - 1).reason()).isEqualTo("floor");
  }

  @Test
  void whenMoreBitsStopPayingTheTopStopsThereBelowTheTarget() {
    List<ProbePoint> flat = new ArrayList<>(List.of(
        p(HD, 22, 6000, 16.1), p(HD, 28, 3000, 16.0), p(HD, 34, 1500, 14.0), p(SD, 34, 500, 11.0)));

    PerTitleLadder.Chosen top = PerTitleLadder.choose(flat, TARGETS).rungs().get(0);

    assertThat(top.reason()).isEqualTo("top: gain per doubling");
    assertThat(top.rung().targetKbps()).isEqualTo(3000);
  }

  @Test
  void aProbeThatCannotSeparateTwoRungsGetsTheFixedLadder() {
    // Under two quality steps (11.4 points) from the smallest, cheapest point to the largest, dearest.
    List<ProbePoint> grain = List.of(
        p(FHD, 22, 6423.8, 60.4), p(FHD, 28, 2258.4, 58.1), p(FHD, 34, 1188.8, 55.0),
        p(HD, 22, 1455.8, 57.2), p(HD, 28, 576.6, 54.9), p(HD, 34, 370.2, 52.0),
        p(SD, 22, 296.4, 52.8), p(SD, 28, 166.8, 50.5), p(SD, 34, 129.7, 49.0));
    List<RungTarget> fixed = LadderBuilder.build(1920, 1080, new FrameRate(30, 1), 0);

    PerTitleLadder.Ladder ladder = PerTitleLadder.choose(grain, PerTitleLadder.Targets.defaults(), VideoCodec.H264,
        fixed);

    assertThat(ladder.targets()).isEqualTo(fixed);
    assertThat(ladder.rungs()).extracting(PerTitleLadder.Chosen::reason).containsOnly(PerTitleLadder.FIXED_REASON);
    // Where the measure does tell rungs apart, the fixed ladder is not used.
    assertThat(PerTitleLadder.choose(hard(), TARGETS, VideoCodec.H264, fixed).targets())
        .isEqualTo(PerTitleLadder.choose(hard(), TARGETS).targets());
  }

  @Test
  void aStillPictureGetsTheFloorOnTopAndThreeDistinctRungs() {
    List<ProbePoint> still = List.of(p(SD, 22, 20, 25.0), p(SD, 28, 12, 22.0), p(SD, 34, 8, 19.0));

    List<RungTarget> rungs = PerTitleLadder.choose(still, TARGETS).targets();

    assertThat(rungs).hasSize(3);
    assertThat(rungs.get(0).targetKbps()).isEqualTo(TARGETS.floorKbps());
    assertThat(rungs).extracting(RungTarget::targetKbps).doesNotHaveDuplicates();
    assertThat(rungs).extracting(RungTarget::id).containsExactly("360p", "360p-2", "360p-3");
  }

  @Test
  void aFlatPictureWhoseBitsCannotSeparateRungsGetsThemBySize() {
    // At every rate factor the encoder spends about the same few kbit/s at each size.
    List<ProbePoint> flat = List.of(
        p(FHD, 22, 30, 52.0), p(FHD, 28, 24, 46.0), p(FHD, 34, 21, 38.0),
        p(HD, 22, 20, 26.0), p(HD, 28, 17, 25.0), p(HD, 34, 15, 24.0),
        p(SD, 22, 14, 24.0), p(SD, 28, 12, 23.0), p(SD, 34, 11, 22.0));

    List<PerTitleLadder.Chosen> rungs = PerTitleLadder.choose(flat, TARGETS).rungs();

    assertThat(rungs).extracting(c -> c.rung().id()).containsExactly("1080p", "720p", "360p");
    assertThat(rungs).extracting(PerTitleLadder.Chosen::predictedQuality).isSortedAccordingTo(
        java.util.Comparator.reverseOrder()).doesNotHaveDuplicates();
  }

  @Test
  void aTopRungAtTheEncodersLeastBitsGetsTheRateFactorThatReachesTheTargetNotTheLowest() {
    // The flat benchmark clip's probe as measured: x264 spends 19-20 kbit/s at 1080p at any CRF.
    Size qhd = new Size(960, 540);
    List<ProbePoint> flat = List.of(
        p(FHD, 22, 19.1, 95.991), p(FHD, 28, 18.9, 97.908), p(FHD, 34, 20.1, 95.715),
        p(HD, 22, 11.8, 91.562), p(HD, 28, 11.5, 93.191), p(HD, 34, 11.8, 91.754),
        p(qhd, 22, 9.0, 90.459), p(qhd, 28, 8.6, 87.733), p(qhd, 34, 9.0, 83.696));

    PerTitleLadder.Chosen top = PerTitleLadder.choose(flat, PerTitleLadder.Targets.defaults()).rungs().get(0);

    assertThat(top.rung().id()).isEqualTo("1080p");
    // By bitrate alone the floor's 150 kbit/s would ask for the lowest CRF, and get VMAF 97-98.
    assertThat(top.rung().crf()).isEqualTo(34.0);
    assertThat(top.predictedQuality()).isEqualTo(95.72);
  }

  @Test
  void aRungBelowASizesCheapestProbeGoesToASizeProbedThatLow() {
    // The motion benchmark clip's probe as measured: 1080p was probed down to 1128 kbit/s only.
    Size qhd = new Size(960, 540);
    List<ProbePoint> motion = List.of(
        p(FHD, 22, 5032.1, 93.539), p(FHD, 28, 2090.3, 90.209), p(FHD, 34, 1127.9, 85.064),
        p(HD, 22, 1275.3, 82.356), p(HD, 28, 541.8, 79.556), p(HD, 34, 349.4, 73.016),
        p(qhd, 22, 638.0, 77.747), p(qhd, 28, 314.0, 74.64), p(qhd, 34, 223.2, 69.388),
        p(SD, 22, 275.0, 64.674), p(SD, 28, 167.8, 63.356), p(SD, 34, 134.0, 56.616));

    List<RungTarget> rungs = PerTitleLadder.choose(motion, PerTitleLadder.Targets.defaults()).targets();

    // Extrapolated below 1128 kbit/s, 1080p looked better than the sizes measured there.
    assertThat(rungs).filteredOn(r -> r.targetKbps() < 1127.9)
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.width()).isLessThan(1920));
  }

  @Test
  void aTopOnTheHullJustUnderTheLargestSizesCheapestProbeStaysAtThatSize() {
    // The slide show's AV1 probe as measured: the hull runs from 540p at 61 kbit/s to 1080p at 176.
    Size qhd = new Size(960, 540);
    List<ProbePoint> slides = List.of(
        p(FHD, 27, 342.2, 96.698), p(FHD, 37, 239.6, 96.33), p(FHD, 47, 176.2, 95.673),
        p(HD, 27, 177.6, 79.796), p(HD, 37, 124.5, 79.413), p(HD, 47, 91.6, 78.811),
        p(qhd, 27, 116.4, 70.692), p(qhd, 37, 82.5, 70.423), p(qhd, 47, 60.8, 69.753));

    PerTitleLadder.Chosen top = PerTitleLadder.choose(slides, PerTitleLadder.Targets.defaults(), VideoCodec.AV1)
        .rungs().get(0);

    assertThat(top.rung().width()).isEqualTo(1920);
    assertThat(top.predictedQuality()).isGreaterThan(94.0);
  }

  @Test
  void rungsGetABufferOfASegmentAtTheirPeakRate() {
    List<RungTarget> rungs = PerTitleLadder.choose(easy(), TARGETS).targets(4.0);

    assertThat(rungs).allSatisfy(r -> assertThat(r.bufferKbits()).isEqualTo(4 * r.maxKbps()));
  }

  @Test
  void eachRungGetsTheCrfThatGivesItsBitrateOnItsSize() {
    List<ProbePoint> hd = List.of(p(HD, 22, 800, 18.6), p(HD, 28, 400, 17.4), p(HD, 34, 200, 15.5));

    assertThat(PerTitleLadder.crfFor(hd, Math.log(400))).isEqualTo(28.0);
    assertThat(PerTitleLadder.crfFor(hd, Math.log(Math.sqrt(800 * 400)))).isEqualTo(25.0);
    assertThat(PerTitleLadder.crfFor(hd, Math.log(100))).isEqualTo(40.0);
    assertThat(PerTitleLadder.crfFor(hd, Math.log(1600))).isEqualTo(16.0);
    assertThat(PerTitleLadder.crfFor(hd, Math.log(100_000))).isEqualTo(PerTitleLadder.MIN_CRF);
    // A flat picture: the bitrate hardly moves with CRF, so more bits ask for the lowest CRF.
    List<ProbePoint> flat = List.of(p(FHD, 22, 19.1, 44.0), p(FHD, 28, 18.9, 37.6), p(FHD, 34, 20.1, 32.7));
    assertThat(PerTitleLadder.crfFor(flat, Math.log(150))).isEqualTo(PerTitleLadder.MIN_CRF);
    assertThat(PerTitleLadder.choose(easy(), TARGETS).targets()).allSatisfy(r -> assertThat(r.crf()).isBetween(14.0, 45.0));
  }

  @Test
  void refusesAnEmptyProbe() {
    assertThatThrownBy(() -> PerTitleLadder.choose(List.of(), TARGETS)).hasMessage("no probe points");
  }
}
