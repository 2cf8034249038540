package io.caudal.transcode.core.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.transcode.core.media.SourceInfo;
import io.caudal.transcode.core.plan.ChunkPlan;
import io.caudal.transcode.core.plan.FrameRate;
import java.util.List;
import org.junit.jupiter.api.Test;

class LadderCheckTest {
  private static final FrameRate FPS30 = new FrameRate(30, 1);
  private static final ChunkPlan PLAN = ChunkPlan.plan(8_000_000, FPS30, 4_000_000, 8, new long[] {0});
  private static final SourceInfo SOURCE = new SourceInfo("in.mp4", 8_000_000, true, true, 1280, 720, 0, FPS30, FPS30,
      false, 0, new long[] {0}, 240, 8_000_000, 2, 48_000, 8_000_000);

  private static Track video(String id, String codecs, long... boundaries) {
    List<Segment> segments = new java.util.ArrayList<>();
    for (int i = 0; i + 1 < boundaries.length; i++) {
      segments.add(new Segment(i + 1, boundaries[i], boundaries[i + 1] - boundaries[i], 1000, 120));
    }
    return new Track(id, "video/" + id, true, 2, 2, codecs, 90_000, 0, segments);
  }

  private static Track audio(long... boundaries) {
    List<Segment> segments = new java.util.ArrayList<>();
    for (int i = 0; i + 1 < boundaries.length; i++) {
      segments.add(new Segment(i + 1, boundaries[i], boundaries[i + 1] - boundaries[i], 1000, 10));
    }
    return new Track("audio", "audio", false, 0, 0, "mp4a.40.2", 48_000, 2, segments);
  }

  @Test
  void alignedLadderWithContinuousAudioPasses() {
    List<String> problems = LadderCheck.problems(
        List.of(video("720p", "avc1.64001f", 0, 360_000, 720_000), video("360p", "avc1.64001e", 0, 360_000, 720_000)),
        audio(0, 192_512, 384_000), PLAN, SOURCE);

    assertThat(problems).isEmpty();
  }

  @Test
  void boundaryMoreThanAFrameOffIsReported() {
    List<String> problems = LadderCheck.problems(
        List.of(video("720p", "avc1.64001f", 0, 360_000, 720_000), video("360p", "avc1.64001e", 0, 366_006, 720_000)),
        null, PLAN, SOURCE);

    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("360p: segment 1 spans 0+366006, but 720p spans 0+360000"));
  }

  @Test
  void missingSegmentIsReported() {
    List<String> problems = LadderCheck.problems(List.of(video("720p", "avc1.64001f", 0, 360_000)), null, PLAN, SOURCE);

    assertThat(problems).contains("720p: 1 segments, planned 2");
  }

  @Test
  void durationFarFromTheSourceIsReported() {
    SourceInfo longer = new SourceInfo("in.mp4", 8_100_000, true, false, 1280, 720, 0, FPS30, FPS30, false, 0,
        new long[] {0}, 243, 8_100_000, 0, 0, 0);

    assertThat(LadderCheck.problems(List.of(video("720p", "avc1.64001f", 0, 360_000, 720_000)), null, PLAN, longer))
        .anySatisfy(p -> assertThat(p).contains("lasts 8.000 s, the source's video 8.100 s"));
  }

  @Test
  void audioGapIsReported() {
    Track gappy = new Track("audio", "audio", false, 0, 0, "mp4a.40.2", 48_000, 2, List.of(
        new Segment(1, 0, 192_000, 1000, 10), new Segment(2, 192_100, 191_900, 1000, 10)));

    assertThat(LadderCheck.problems(List.of(), gappy, PLAN, SOURCE)).contains("audio: discontinuity before segment 2");
  }

  @Test
  void everyAudioRenditionIsCheckedAgainstItsOwnSourceStream() {
    Track english = new Track("audio-en-2ch", "audio/en-2ch", false, 0, 0, "mp4a.40.2", 48_000, 2, List.of(
        new Segment(1, 0, 192_000, 1000, 10), new Segment(2, 192_000, 192_000, 1000, 10)));
    Track frenchGappy = new Track("audio-fr-6ch", "audio/fr-6ch", false, 0, 0, "mp4a.40.2", 48_000, 6, List.of(
        new Segment(1, 0, 192_000, 1000, 10), new Segment(2, 192_100, 191_900, 1000, 10)));
    Track frenchShort = new Track("audio-fr-2ch", "audio/fr-2ch", false, 0, 0, "mp4a.40.2", 48_000, 2, List.of(
        new Segment(1, 0, 192_000, 1000, 10)));
    java.util.Map<String, Long> sources = java.util.Map.of("audio-en-2ch", 8_000_000L, "audio-fr-6ch", 8_000_000L,
        "audio-fr-2ch", 8_000_000L);

    List<String> problems = LadderCheck.problems(List.of(video("720p", "avc1.64001f", 0, 360_000, 720_000)),
        List.of(english, frenchGappy, frenchShort), sources, PLAN, SOURCE);

    assertThat(problems).containsExactlyInAnyOrder("audio-fr-6ch: discontinuity before segment 2",
        "audio-fr-2ch: lasts 4.000 s, the source's audio 8.000 s");
  }

  @Test
  void levelAboveFourPointTwoOrProfileAboveHighIsReported() {
    List<String> problems = LadderCheck.problems(
        List.of(video("1080p", "avc1.640033", 0, 360_000, 720_000), video("720p", "avc1.6e001f", 0, 360_000, 720_000)),
        null, PLAN, SOURCE);

    assertThat(problems).contains("1080p: H.264 level 5.1 is above 4.2", "720p: H.264 profile_idc 110 is above High");
  }

  @Test
  void aRungMeasuredBelowTheRungUnderItFailsTheTitle() {
    assertThat(LadderCheck.qualityProblems(List.of("1080p", "720p", "360p"), List.of(94.5, 88.0, 80.1))).isEmpty();
    assertThat(LadderCheck.qualityProblems(List.of("1080p", "720p", "360p"), List.of(87.9, 88.0, 80.1)))
        .containsExactly("1080p: measured quality 87.90 (estimated VMAF) is below 88.00 of 720p under it");
  }

  @Test
  void av1RungsAreHeldToTheH264RungsBoundariesAndToMainProfileLevelFivePointOneEightBit() {
    assertThat(LadderCheck.problems(List.of(video("720p", "avc1.64001f", 0, 360_000, 720_000),
        video("720p-av1", "av01.0.05M.08", 0, 360_000, 720_000),
        video("360p-av1", "av01.0.01M.08.0.110.01.01.01.0", 0, 360_000, 720_000)), null, PLAN, SOURCE)).isEmpty();

    List<String> problems = LadderCheck.problems(List.of(video("720p", "avc1.64001f", 0, 360_000, 720_000),
        video("720p-av1", "av01.0.05M.08", 0, 366_006, 720_000),
        video("a-av1", "av01.1.05M.08", 0, 360_000, 720_000), video("b-av1", "av01.0.14M.08", 0, 360_000, 720_000),
        video("c-av1", "av01.0.12H.10", 0, 360_000, 720_000), video("d-av1", "av01.0", 0, 360_000, 720_000)),
        null, PLAN, SOURCE);
    assertThat(problems).containsExactly(
        "720p-av1: segment 1 spans 0+366006, but 720p spans 0+360000",
        "720p-av1: segment 2 spans 366006+353994, but 720p spans 360000+360000",
        "a-av1: AV1 profile 1 is above Main",
        "b-av1: AV1 level 5.2 is above 5.1 Main tier",
        "c-av1: AV1 level 5.0 High tier is above 5.1 Main tier",
        "c-av1: AV1 bit depth 10 is not 8",
        "d-av1: codec 'av01.0' is not an AV1 codecs string");
  }
}
