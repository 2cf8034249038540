package io.caudal.transcode.core.protect;

import static io.caudal.transcode.core.protect.AvcSamples.idr;
import static io.caudal.transcode.core.protect.AvcSamples.nal;
import static io.caudal.transcode.core.protect.AvcSamples.pSlice;
import static io.caudal.transcode.core.protect.AvcSamples.sample;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Subsample ranges, the cbcs pattern and cenc IVs on hand-made samples, checked with the JDK's own AES modes. */
class SampleEncryptorTest {
  private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
  private static final byte[] CONSTANT_IV = HexFormat.of().parseHex("f0e0d0c0b0a090807060504030201000");
  private static final AvcSliceHeaders HEADERS = AvcSliceHeaders.fromAvcC(AvcSamples.avcC());
  private static final byte[] AUD = nal(0, 9, new byte[] {(byte) 0xF0});
  private static final byte[] SEI = nal(0, 6, filled(30, 0x42));

  @Test
  void sliceHeadersAreMeasuredFromTheTracksParameterSets() {
    for (AvcSamples.Slice slice : List.of(idr(50), pSlice(50), AvcSamples.escapedSlice(50))) {
      assertThat(HEADERS.headerBytes(slice.nal(), 0, slice.nal().length)).isEqualTo(slice.headerBytes());
    }
    assertThat(idr(50).headerBytes()).isEqualTo(5); // NAL header + 30 bits
    assertThat(AvcSamples.escapedSlice(50).nal()).containsSequence(0, 0, 3, 2); // the escape is really there
  }

  @Test
  void cencLeavesNonVclUnitsAndSliceHeadersClearAndProtectsWholeBlocksEndingEachSlice() throws Exception {
    AvcSamples.Slice big = idr(100);
    AvcSamples.Slice small = pSlice(10); // under one block of slice data: wholly clear
    byte[] clear = sample(AUD, SEI, big.nal(), small.nal());
    byte[] data = clear.clone();
    byte[] iv = HexFormat.of().parseHex("0102030405060708");

    EncryptedSample encrypted = SampleEncryptor.cenc(KEY, iv, HEADERS).encrypt(data, 0, data.length);

    int leading = 4 + AUD.length + 4 + SEI.length + 4 + big.headerBytes() + 100 % 16;
    assertThat(encrypted.subsamples()).containsExactly(new Subsample(leading, 96),
        new Subsample(4 + small.nal().length, 0));
    assertThat(encrypted.iv()).isEqualTo(iv);
    assertThat(Arrays.copyOfRange(data, 0, leading)).isEqualTo(Arrays.copyOfRange(clear, 0, leading));
    assertThat(Arrays.copyOfRange(data, leading + 96, data.length))
        .isEqualTo(Arrays.copyOfRange(clear, leading + 96, clear.length));
    byte[] decrypted = ctr(iv, Arrays.copyOfRange(data, leading, leading + 96));
    assertThat(decrypted).isEqualTo(Arrays.copyOfRange(clear, leading, leading + 96));
    assertThat(Arrays.copyOfRange(data, leading, leading + 96)).isNotEqualTo(decrypted);
  }

  @Test
  void cencKeyStreamRunsOnAcrossTheSubsamplesOfOneSample() throws Exception {
    AvcSamples.Slice first = idr(40);
    AvcSamples.Slice second = pSlice(64);
    byte[] clear = sample(first.nal(), second.nal());
    byte[] data = clear.clone();
    byte[] iv = new byte[8];

    List<Subsample> subsamples = SampleEncryptor.cenc(KEY, iv, HEADERS).encrypt(data, 0, data.length).subsamples();

    assertThat(subsamples).extracting(Subsample::protectedBytes).containsExactly(32L, 64L);
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    int p = 0;
    for (Subsample s : subsamples) {
      p += s.clearBytes();
      joined.write(data, p, (int) s.protectedBytes());
      expected.write(clear, p, (int) s.protectedBytes());
      p += (int) s.protectedBytes();
    }
    assertThat(ctr(iv, joined.toByteArray())).isEqualTo(expected.toByteArray());
  }

  @Test
  void cencIvsCountUpSampleBySampleCarryingIntoHigherBytes() throws Exception {
    byte[] first = HexFormat.of().parseHex("00000000000000ff");
    SampleEncryptor audio = SampleEncryptor.cenc(KEY, first, null);
    byte[] a = filled(37, 0x10);
    byte[] b = filled(53, 0x20);

    EncryptedSample ea = audio.encrypt(a, 0, a.length);
    EncryptedSample eb = audio.encrypt(b, 0, b.length);

    assertThat(ea.iv()).isEqualTo(first);
    assertThat(eb.iv()).isEqualTo(HexFormat.of().parseHex("0000000000000100"));
    assertThat(ea.subsamples()).isEmpty();
    assertThat(ctr(ea.iv(), a)).isEqualTo(filled(37, 0x10)); // whole sample, partial last block included
    assertThat(ctr(eb.iv(), b)).isEqualTo(filled(53, 0x20));
  }

  @Test
  void cbcsEncryptsOneBlockInTenAfterTheSliceHeaderAndLeavesAPartialLastBlockClear() throws Exception {
    AvcSamples.Slice slice = idr(16 * 25 + 7);
    AvcSamples.Slice next = pSlice(40);
    byte[] clear = sample(SEI, slice.nal(), next.nal());
    byte[] data = clear.clone();

    EncryptedSample encrypted = SampleEncryptor.cbcs(KEY, CONSTANT_IV, HEADERS).encrypt(data, 0, data.length);

    int start = 4 + SEI.length + 4 + slice.headerBytes();
    int nextStart = start + 16 * 25 + 7 + 4 + next.headerBytes();
    assertThat(encrypted.iv()).isEmpty();
    assertThat(encrypted.subsamples()).containsExactly(new Subsample(start, 16 * 25 + 7),
        new Subsample(4 + next.headerBytes(), 40));
    // Blocks 0, 10 and 20 are one CBC chain from the constant IV; every other byte is as it was.
    byte[] chain = concat(block(data, start), block(data, start + 160), block(data, start + 320));
    assertThat(cbcDecrypt(chain)).isEqualTo(concat(block(clear, start), block(clear, start + 160),
        block(clear, start + 320)));
    for (int i = 0; i < data.length; i++) {
      int offset = i - start;
      boolean inEncryptedBlock = offset >= 0 && offset < 16 * 25 && (offset / 16) % 10 == 0;
      boolean inNextFirstBlock = i >= nextStart && i < nextStart + 16;
      if (!inEncryptedBlock && !inNextFirstBlock) {
        assertThat(data[i]).as("byte %d", i).isEqualTo(clear[i]);
      }
    }
    // The next subsample starts again from the constant IV.
    assertThat(cbcDecrypt(block(data, nextStart))).isEqualTo(block(clear, nextStart));
  }

  @Test
  void cbcsAudioEncryptsEveryWholeBlockWithNoPattern() throws Exception {
    byte[] clear = filled(40, 0x33);
    byte[] data = clear.clone();

    EncryptedSample encrypted = SampleEncryptor.cbcs(KEY, CONSTANT_IV, null).encrypt(data, 0, data.length);

    assertThat(encrypted.subsamples()).isEmpty();
    assertThat(cbcDecrypt(Arrays.copyOf(data, 32))).isEqualTo(Arrays.copyOf(clear, 32));
    assertThat(Arrays.copyOf(data, 32)).isNotEqualTo(Arrays.copyOf(clear, 32));
    assertThat(Arrays.copyOfRange(data, 32, 40)).isEqualTo(Arrays.copyOfRange(clear, 32, 40));
  }

  @Test
  void aClearRunLongerThanOneEntryHoldsIsSplit() {
    byte[] bigSei = nal(0, 6, filled(70_000, 0x42));
    AvcSamples.Slice slice = idr(32);
    byte[] data = sample(bigSei, slice.nal());

    List<Subsample> subsamples = SampleEncryptor.cenc(KEY, new byte[8], HEADERS).subsamples(data, 0, data.length);

    assertThat(subsamples).containsExactly(new Subsample(Subsample.MAX_CLEAR, 0),
        new Subsample(4 + bigSei.length - Subsample.MAX_CLEAR + 4 + slice.headerBytes(), 32));
  }

  @Test
  void aSampleWhoseLengthPrefixOverrunsItIsRefused() {
    byte[] data = sample(idr(20).nal());
    data[3] += 5;

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> SampleEncryptor.cbcs(KEY, CONSTANT_IV, HEADERS).encrypt(data, 0, data.length))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overruns the sample");
  }

  private static byte[] ctr(byte[] iv8, byte[] data) throws Exception {
    Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
    cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(KEY, "AES"), new IvParameterSpec(Arrays.copyOf(iv8, 16)));
    return cipher.doFinal(data);
  }

  private static byte[] cbcDecrypt(byte[] data) throws Exception {
    Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
    cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(KEY, "AES"), new IvParameterSpec(CONSTANT_IV));
    return cipher.doFinal(data);
  }

  private static byte[] block(byte[] data, int at) {
    return Arrays.copyOfRange(data, at, at + 16);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] filled(int length, int value) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (value + i);
    }
    return b;
  }
}
