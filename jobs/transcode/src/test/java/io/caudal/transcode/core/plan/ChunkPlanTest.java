package io.caudal.transcode.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChunkPlanTest {
  private static final FrameRate FPS30 = new FrameRate(30, 1);
  private static final long SEGMENT = 4_000_000;

  @Test
  void cutsChunksOnlyAtSegmentBoundariesAndLetsTheLastOneBeShort() {
    ChunkPlan plan = ChunkPlan.plan(60_000_000, FPS30, SEGMENT, 8, new long[] {0});

    assertThat(plan.segmentFrames()).isEqualTo(120);
    assertThat(plan.totalFrames()).isEqualTo(1800);
    assertThat(plan.segmentCount()).isEqualTo(15);
    assertThat(plan.chunks()).hasSize(2);
    assertThat(plan.chunks().get(0)).isEqualTo(new ChunkPlan.Chunk(0, 0, 8, 0, 960, 0));
    assertThat(plan.chunks().get(1)).isEqualTo(new ChunkPlan.Chunk(1, 8, 7, 960, 1800, 0));
    for (ChunkPlan.Chunk chunk : plan.chunks()) {
      assertThat(chunk.startFrame() % plan.segmentFrames()).isZero();
    }
  }

  @Test
  void aShortTitleIsCutIntoSmallerChunksUpToTheMinimumCount() {
    // 15 segments: 8 per chunk would give 2 chunks; at least 8 chunks means 2 segments each.
    ChunkPlan plan = ChunkPlan.plan(60_000_000, FPS30, SEGMENT, 8, 8, new long[] {0});
    assertThat(plan.chunks()).extracting(ChunkPlan.Chunk::segmentCount).containsExactly(2, 2, 2, 2, 2, 2, 2, 1);

    // 5 segments cannot make 8 chunks: one segment each.
    assertThat(ChunkPlan.plan(20_000_000, FPS30, SEGMENT, 8, 8, new long[] {0}).chunks()).hasSize(5);
    // Enough chunks already: the requested size stands.
    assertThat(ChunkPlan.plan(60_000_000, FPS30, SEGMENT, 4, 2, new long[] {0}).chunks())
        .extracting(ChunkPlan.Chunk::segmentCount).containsExactly(4, 4, 4, 3);
    assertThatThrownBy(() -> ChunkPlan.plan(60_000_000, FPS30, SEGMENT, 8, 0, new long[] {0}))
        .hasMessageContaining("minimum chunks must be positive");
  }

  @Test
  void chunksCoverEveryFrameExactlyOnce() {
    ChunkPlan plan = ChunkPlan.plan(37_300_000, FPS30, SEGMENT, 3, new long[0]);

    long expected = 0;
    for (ChunkPlan.Chunk chunk : plan.chunks()) {
      assertThat(chunk.startFrame()).isEqualTo(expected);
      expected = chunk.endFrame();
    }
    assertThat(expected).isEqualTo(plan.totalFrames()).isEqualTo(1119);
    assertThat(plan.chunks().stream().mapToInt(ChunkPlan.Chunk::segmentCount).sum()).isEqualTo(plan.segmentCount());
  }

  @Test
  void decodesEachChunkFromTheLastSparseKeyframeBeforeIt() {
    // Source keyframes every 10 s: chunks of 2 × 4 s start at 0, 8, 16, 24 s.
    long[] keyframes = {0, 10_000_000, 20_000_000};
    ChunkPlan plan = ChunkPlan.plan(30_000_000, FPS30, SEGMENT, 2, keyframes);

    assertThat(plan.chunks()).extracting(ChunkPlan.Chunk::decodeFromMicros)
        .containsExactly(0L, 0L, 10_000_000L, 20_000_000L);
  }

  @Test
  void keyframeExactlyAtAChunkStartIsUsed() {
    ChunkPlan plan = ChunkPlan.plan(16_000_000, FPS30, SEGMENT, 2, new long[] {0, 8_000_000});

    assertThat(plan.chunks().get(1).decodeFromMicros()).isEqualTo(8_000_000);
  }

  @Test
  void titleShorterThanOneSegmentIsOneShortSegmentInOneChunk() {
    ChunkPlan plan = ChunkPlan.plan(1_500_000, FPS30, SEGMENT, 8, new long[] {0});

    assertThat(plan.segmentCount()).isEqualTo(1);
    assertThat(plan.chunks()).containsExactly(new ChunkPlan.Chunk(0, 0, 1, 0, 45, 0));
  }

  @Test
  void ntscRateGetsWholeFrameSegmentsThatLastSlightlyOverFourSeconds() {
    FrameRate ntsc = new FrameRate(30000, 1001);
    ChunkPlan plan = ChunkPlan.plan(20_000_000, ntsc, SEGMENT, 8, new long[0]);

    assertThat(plan.segmentFrames()).isEqualTo(120);
    assertThat(plan.segmentMicros()).isEqualTo(4_004_000);
    assertThat(ntsc.timescale()).isEqualTo(90_000);
    assertThat(ntsc.frameTicks()).isEqualTo(3003);
  }

  @Test
  void variableRateSourceIsPlannedOnTheNearestStandardRate() {
    FrameRate output = FrameRate.forOutput(new FrameRate(30, 1), new FrameRate(24958, 1000), true);
    ChunkPlan plan = ChunkPlan.plan(4_000_000, output, SEGMENT, 8, new long[] {0});

    assertThat(output).isEqualTo(new FrameRate(25, 1));
    assertThat(plan.segmentFrames()).isEqualTo(100);
    assertThat(plan.totalFrames()).isEqualTo(100);
  }

  @Test
  void constantRateSourceKeepsItsOwnRate() {
    assertThat(FrameRate.forOutput(new FrameRate(24000, 1001), new FrameRate(23976, 1000), false))
        .isEqualTo(new FrameRate(24000, 1001));
  }

  @Test
  void everyFrameLastsAWholeNumberOfTicks() {
    for (FrameRate rate : FrameRate.STANDARD) {
      assertThat((long) rate.timescale() * rate.den() % rate.num()).as(rate.toString()).isZero();
    }
    assertThat(new FrameRate(24000, 1001).frameTicks()).isEqualTo(15015);
  }

  @Test
  void refusesANonPositiveDuration() {
    assertThatThrownBy(() -> ChunkPlan.plan(0, FPS30, SEGMENT, 8, new long[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duration must be positive");
  }
}
