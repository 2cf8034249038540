package io.caudal.transcode.core.mp4;

import static io.caudal.transcode.core.mp4.CencBoxesTest.concat;
import static io.caudal.transcode.core.mp4.CencBoxesTest.fragment;
import static io.caudal.transcode.core.mp4.CencBoxesTest.init;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.transcode.core.protect.AvcSamples;
import io.caudal.transcode.core.protect.AvcSliceHeaders;
import io.caudal.transcode.core.protect.SampleEncryptor;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The byte range of a segment's first sample, as the I-frame playlists give it. */
class Fmp4KeyframeRangeTest {
  private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");

  @Test
  void theRangeEndsWhereTheFirstSampleEndsInTheMdat() {
    byte[] first = new byte[40];
    Arrays.fill(first, (byte) 7);
    byte[] segment = fragment(first, new byte[33]);

    long end = Fmp4.firstSampleEnd(segment, 0);

    int mdatPayload = segment.length - 40 - 33;
    assertThat(end).isEqualTo(mdatPayload + 40);
    assertThat(Arrays.copyOfRange(segment, mdatPayload, (int) end)).containsOnly(7);
  }

  @Test
  void aProtectedSegmentsRangeCoversItsLargerMoofAndStillEndsOnTheFirstSample() {
    AvcSliceHeaders headers = AvcSliceHeaders.fromAvcC(AvcSamples.avcC());
    byte[] idr = AvcSamples.sample(AvcSamples.idr(300).nal());
    byte[] p = AvcSamples.sample(AvcSamples.pSlice(70).nal());
    byte[] clear = fragment(idr, p);

    byte[] protectedSegment = CencBoxes.protectFragment(clear,
        SampleEncryptor.cenc(KEY, HexFormat.of().parseHex("1122334455667788"), headers));

    // senc, saiz and saio make the moof longer; the samples keep their sizes.
    assertThat(protectedSegment.length).isGreaterThan(clear.length);
    assertThat(Fmp4.firstSampleEnd(protectedSegment, 0)).isEqualTo(protectedSegment.length - p.length);
    assertThat(Fmp4.firstSampleEnd(clear, 0)).isEqualTo(clear.length - p.length);
  }

  @Test
  void theInitsDefaultSampleSizeIsReadFromItsTrex() {
    assertThat(Fmp4.trexSampleSize(init("avc1", CencBoxesTest.concat()))).isZero();
  }

  @Test
  void aSegmentThatIsNotAMoofIsRefused() {
    assertThatThrownBy(() -> Fmp4.firstSampleEnd(concat(init("avc1", new byte[0])), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("media segment does not start with a moof");
  }
}
