package io.caudal.transcode.core.mp4;

import static io.caudal.transcode.core.mp4.CencBoxes.box;
import static io.caudal.transcode.core.mp4.CencBoxes.fullBox;
import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.schemas.ProtectionScheme;
import io.caudal.schemas.TrackClass;
import io.caudal.transcode.core.protect.AvcSamples;
import io.caudal.transcode.core.protect.AvcSliceHeaders;
import io.caudal.transcode.core.protect.SampleEncryptor;
import io.caudal.transcode.core.protect.Subsample;
import io.caudal.transcode.core.protect.TrackKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The cenc boxes on hand-made init and media segments, read back box by box. */
class CencBoxesTest {
  private static final byte[] KID = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
  private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
  private static final byte[] CONSTANT_IV = HexFormat.of().parseHex("f0e0d0c0b0a090807060504030201000");

  @Test
  void aCbcsVideoInitGetsEncvWithSinfAndAPsshAndEveryContainerStillAddsUp() {
    byte[] init = init("avc1", box("avcC", AvcSamples.avcC()));
    TrackKey key = new TrackKey(ProtectionScheme.CBCS, TrackClass.HD, KID, KEY, CONSTANT_IV);

    byte[] out = CencBoxes.protectInit(init, key);

    Box root = Box.parseAll(out);
    assertThat(root.children()).extracting(Box::type).containsExactly("ftyp", "moov");
    Box moov = root.child("moov");
    Box entry = moov.path("trak", "mdia", "minf", "stbl", "stsd").sampleEntry();
    assertThat(entry.type()).isEqualTo("encv");
    assertThat(entry.child("avcC")).isNotNull();
    Box sinf = entry.child("sinf");
    assertThat(sinf.child("frma").payload()).asString(StandardCharsets.ISO_8859_1).isEqualTo("avc1");
    ByteBuffer schm = sinf.child("schm").body();
    assertThat(schm.getInt()).isZero();
    assertThat(fourcc(schm)).isEqualTo("cbcs");
    assertThat(schm.getInt()).isEqualTo(0x00010000);
    ByteBuffer tenc = sinf.child("schi").child("tenc").body();
    assertThat(tenc.getInt() >>> 24).as("version").isEqualTo(1);
    assertThat(tenc.get()).isZero();
    assertThat(tenc.get()).as("crypt:skip").isEqualTo((byte) 0x19);
    assertThat(tenc.get()).as("isProtected").isEqualTo((byte) 1);
    assertThat(tenc.get()).as("per-sample IV size").isZero();
    assertThat(bytes(tenc, 16)).isEqualTo(KID);
    assertThat(tenc.get()).isEqualTo((byte) 16);
    assertThat(bytes(tenc, 16)).isEqualTo(CONSTANT_IV);
    ByteBuffer pssh = moov.child("pssh").body();
    assertThat(pssh.getInt() >>> 24).as("version").isEqualTo(1);
    assertThat(HexFormat.of().formatHex(bytes(pssh, 16))).isEqualTo(CencBoxes.COMMON_SYSTEM_ID);
    assertThat(pssh.getInt()).isEqualTo(1);
    assertThat(bytes(pssh, 16)).isEqualTo(KID);
    assertThat(pssh.getInt()).as("data size").isZero();
    assertThat(Fmp4.parse(out).init().timescale()).isEqualTo(90_000);
  }

  @Test
  void aCencAudioInitGetsEncaWithAVersion0TencOf8ByteIvs() {
    byte[] out = CencBoxes.protectInit(init("mp4a", box("esds", new byte[8])),
        new TrackKey(ProtectionScheme.CENC, TrackClass.AUDIO, KID, KEY, null));

    Box entry = Box.parseAll(out).child("moov").path("trak", "mdia", "minf", "stbl", "stsd").sampleEntry();
    assertThat(entry.type()).isEqualTo("enca");
    ByteBuffer tenc = entry.child("sinf").child("schi").child("tenc").body();
    assertThat(tenc.getInt() >>> 24).isZero();
    assertThat(tenc.getShort()).isZero();
    assertThat(tenc.get()).isEqualTo((byte) 1);
    assertThat(tenc.get()).isEqualTo((byte) 8);
    assertThat(bytes(tenc, 16)).isEqualTo(KID);
    assertThat(tenc.hasRemaining()).isFalse();
  }

  @Test
  void aCencVideoFragmentGetsSencSaizSaioWithOffsetsThatPointWhereTheySay() throws Exception {
    AvcSliceHeaders headers = AvcSliceHeaders.fromAvcC(AvcSamples.avcC());
    byte[] s1 = AvcSamples.sample(AvcSamples.nal(0, 9, new byte[] {(byte) 0xF0}), AvcSamples.idr(300).nal());
    byte[] s2 = AvcSamples.sample(AvcSamples.pSlice(70).nal(), AvcSamples.pSlice(8).nal());
    byte[] fragment = fragment(s1, s2);
    List<List<Subsample>> expected = List.of(
        SampleEncryptor.cenc(KEY, new byte[8], headers).subsamples(s1, 0, s1.length),
        SampleEncryptor.cenc(KEY, new byte[8], headers).subsamples(s2, 0, s2.length));
    byte[] firstIv = HexFormat.of().parseHex("1122334455667788");

    byte[] out = CencBoxes.protectFragment(fragment, SampleEncryptor.cenc(KEY, firstIv, headers));

    Box root = Box.parseAll(out);
    assertThat(root.children()).extracting(Box::type).containsExactly("moof", "mdat");
    Box traf = root.child("moof").child("traf");
    assertThat(traf.children()).extracting(Box::type).containsExactly("tfhd", "tfdt", "trun", "senc", "saiz", "saio");

    ByteBuffer senc = traf.child("senc").body();
    assertThat(senc.getInt()).as("flags: subsamples").isEqualTo(0x2);
    assertThat(senc.getInt()).isEqualTo(2);
    List<byte[]> ivs = new ArrayList<>();
    List<Integer> entrySizes = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      int before = senc.position();
      ivs.add(bytes(senc, 8));
      int count = senc.getShort();
      List<Subsample> subsamples = new ArrayList<>();
      for (int k = 0; k < count; k++) {
        subsamples.add(new Subsample(senc.getShort() & 0xFFFF, Integer.toUnsignedLong(senc.getInt())));
      }
      assertThat(subsamples).isEqualTo(expected.get(i));
      entrySizes.add(senc.position() - before);
    }
    assertThat(ivs.get(0)).isEqualTo(firstIv);
    assertThat(ivs.get(1)).isEqualTo(HexFormat.of().parseHex("1122334455667789"));

    ByteBuffer saiz = traf.child("saiz").body();
    assertThat(saiz.getInt()).isZero();
    int defaultSize = saiz.get() & 0xFF;
    assertThat(saiz.getInt()).isEqualTo(2);
    List<Integer> sizes = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      sizes.add(defaultSize != 0 ? defaultSize : saiz.get() & 0xFF);
    }
    assertThat(sizes).isEqualTo(entrySizes);

    ByteBuffer saio = traf.child("saio").body();
    assertThat(saio.getInt()).isZero();
    assertThat(saio.getInt()).isEqualTo(1);
    int auxOffset = saio.getInt();
    int moofStart = root.child("moof").start();
    assertThat(Arrays.copyOfRange(out, moofStart + auxOffset, moofStart + auxOffset + 8)).isEqualTo(firstIv);
    assertThat(moofStart + auxOffset).isEqualTo(traf.child("senc").start() + 16);

    ByteBuffer trun = traf.child("trun").body();
    trun.getInt();
    trun.getInt();
    int dataOffset = trun.getInt();
    assertThat(moofStart + dataOffset).isEqualTo(root.child("mdat").start() + 8);

    // Decrypting the mdat with the IVs and subsamples senc gives gives the samples back.
    byte[] mdat = Arrays.copyOfRange(out, moofStart + dataOffset, out.length);
    assertThat(decryptCenc(Arrays.copyOfRange(mdat, 0, s1.length), ivs.get(0), expected.get(0))).isEqualTo(s1);
    assertThat(decryptCenc(Arrays.copyOfRange(mdat, s1.length, mdat.length), ivs.get(1), expected.get(1)))
        .isEqualTo(s2);
    Fmp4.Fragment parsed = Fmp4.parse(concat(init("avc1", box("avcC", AvcSamples.avcC())), out)).fragments().get(0);
    assertThat(parsed.samples()).isEqualTo(2);
    assertThat(parsed.duration()).isEqualTo(2 * 3000);
    assertThat(parsed.startsWithSync()).isTrue();
  }

  @Test
  void aCbcsAudioFragmentWithItsConstantIvCarriesNoSampleAuxiliaryInformation() {
    byte[] clear = fragment(new byte[40], new byte[33]);
    byte[] out = CencBoxes.protectFragment(clear, SampleEncryptor.cbcs(KEY, CONSTANT_IV, null));

    // Every entry would be empty (no per-sample IV, no subsamples): senc, saiz and saio are left out.
    Box traf = Box.parseAll(out).child("moof").child("traf");
    assertThat(traf.children()).extracting(Box::type).containsExactly("tfhd", "tfdt", "trun");
    assertThat(out).hasSameSizeAs(clear);
    byte[] mdat = Arrays.copyOfRange(out, Box.parseAll(out).child("mdat").start() + 8, out.length);
    assertThat(Arrays.copyOfRange(mdat, 32, 40)).containsOnly(0);
    assertThat(Arrays.copyOfRange(mdat, 0, 16)).isNotEqualTo(new byte[16]);
    assertThat(Arrays.copyOfRange(mdat, 72, 73)).containsOnly(0);
  }

  private static byte[] decryptCenc(byte[] sample, byte[] iv, List<Subsample> subsamples) throws Exception {
    Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
    cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(KEY, "AES"), new IvParameterSpec(Arrays.copyOf(iv, 16)));
    byte[] out = sample.clone();
    int p = 0;
    for (Subsample s : subsamples) {
      p += s.clearBytes();
      cipher.update(out, p, (int) s.protectedBytes(), out, p);
      p += (int) s.protectedBytes();
    }
    return out;
  }

  /** ftyp + moov with one track whose sample entry is {@code format} with {@code config} as its child. */
  static byte[] init(String format, byte[] config) {
    int fixed = format.equals("mp4a") ? 28 : 78;
    byte[] entry = box(format, new byte[fixed], config);
    byte[] stsd = fullBox("stsd", 0, 0, concat(ByteBuffer.allocate(4).putInt(1).array(), entry));
    byte[] mdhd = fullBox("mdhd", 0, 0, ByteBuffer.allocate(20).putInt(0).putInt(0).putInt(90_000).putInt(0).array());
    byte[] trak = box("trak", box("mdia", mdhd, box("minf", box("stbl", stsd))));
    byte[] trex = fullBox("trex", 0, 0, ByteBuffer.allocate(20).putInt(1).putInt(1).putInt(3000).putInt(0).putInt(0)
        .array());
    return concat(box("ftyp", "isom".getBytes(StandardCharsets.ISO_8859_1), new byte[4]),
        box("moov", trak, box("mvex", trex)));
  }

  /** moof (tfhd default-base-is-moof, tfdt, trun with sizes and a data offset) + mdat of the samples. */
  static byte[] fragment(byte[]... samples) {
    byte[] tfhd = fullBox("tfhd", 0, 0x020000, ByteBuffer.allocate(4).putInt(1).array());
    byte[] tfdt = fullBox("tfdt", 1, 0, ByteBuffer.allocate(8).putLong(0).array());
    int trunBody = 4 + 4 + 4 + 4 * samples.length;
    int moofSize = 8 + 16 + 8 + tfhd.length + tfdt.length + 12 + trunBody;
    ByteBuffer trun = ByteBuffer.allocate(trunBody).putInt(samples.length).putInt(moofSize + 8).putInt(0x02000000);
    Arrays.stream(samples).forEach(s -> trun.putInt(s.length));
    byte[] moof = box("moof", fullBox("mfhd", 0, 0, ByteBuffer.allocate(4).putInt(1).array()),
        box("traf", tfhd, tfdt, fullBox("trun", 0, 0x001 | 0x004 | 0x200, trun.array())));
    assertThat(moof.length).isEqualTo(moofSize);
    return concat(moof, box("mdat", samples));
  }

  static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    Arrays.stream(parts).forEach(out::writeBytes);
    return out.toByteArray();
  }

  private static byte[] bytes(ByteBuffer b, int n) {
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }

  private static String fourcc(ByteBuffer b) {
    return new String(bytes(b, 4), StandardCharsets.ISO_8859_1);
  }

  /**
   * A box read back from bytes; containers are parsed, failing when a child overruns its parent
   * or the children do not fill it exactly.
   */
  record Box(String type, int start, int size, byte[] data, List<Box> children) {
    private static final List<String> CONTAINERS = List.of("moov", "trak", "mdia", "minf", "stbl", "mvex", "moof",
        "traf", "sinf", "schi");

    static Box parseAll(byte[] data) {
      return new Box("", -8, data.length + 8, data, parse(data, 0, data.length));
    }

    static List<Box> parse(byte[] data, int from, int to) {
      List<Box> boxes = new ArrayList<>();
      ByteBuffer b = ByteBuffer.wrap(data);
      int p = from;
      while (p < to) {
        int size = b.getInt(p);
        String type = new String(data, p + 4, 4, StandardCharsets.ISO_8859_1);
        assertThat(size).as("size of %s at %d", type, p).isGreaterThanOrEqualTo(8);
        assertThat(p + size).as("end of %s at %d", type, p).isLessThanOrEqualTo(to);
        List<Box> children = CONTAINERS.contains(type) ? parse(data, p + 8, p + size) : List.of();
        boxes.add(new Box(type, p, size, data, children));
        p += size;
      }
      assertThat(p).as("children fill their parent").isEqualTo(to);
      return boxes;
    }

    Box child(String childType) {
      return children.stream().filter(c -> c.type.equals(childType)).findFirst().orElse(null);
    }

    Box path(String... types) {
      Box box = this;
      for (String t : types) {
        box = box.child(t);
      }
      return box;
    }

    /** stsd's one sample entry, its children parsed after the fixed fields of its kind. */
    Box sampleEntry() {
      int entry = start + 16;
      int entrySize = ByteBuffer.wrap(data).getInt(entry);
      String entryType = new String(data, entry + 4, 4, StandardCharsets.ISO_8859_1);
      assertThat(entry + entrySize).isEqualTo(start + size);
      int fixed = entryType.equals("encv") || entryType.equals("avc1") ? 78 : 28;
      return new Box(entryType, entry, entrySize, data, parse(data, entry + 8 + fixed, entry + entrySize));
    }

    byte[] payload() {
      return Arrays.copyOfRange(data, start + 8, start + size);
    }

    ByteBuffer body() {
      return ByteBuffer.wrap(payload());
    }
  }
}
