package io.caudal.transcode.core.media;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import io.caudal.transcode.core.text.Cue;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacpp.BytePointer;

/**
 * Adds a mov_text (3GPP timed text) stream to an MP4 file by remuxing it: every stream is copied
 * as it is and the cues are written as text samples (a 16-bit big-endian length, then UTF-8).
 */
public final class MovTextMuxer {
  /**
   * The tx3g sample description FFmpeg's own mov_text encoder writes by default: no display flags,
   * centred at the bottom, transparent background, one style (font 1, 18 px, white), font 1 "Serif".
   */
  private static final byte[] TX3G = {
      0, 0, 0, 0, 0x01, (byte) 0xFF, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 1, 0, 0x12, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
      0, 0, 0, 0x12, 'f', 't', 'a', 'b', 0, 1, 0, 1, 5, 'S', 'e', 'r', 'i', 'f'};

  private MovTextMuxer() {}

  /**
   * Rewrites {@code mp4} with one more stream: the cues (plain text) as mov_text tagged with
   * {@code language} (ISO 639-2, "eng").
   */
  public static void addStream(File mp4, String language, List<Cue> cues) {
    addStream(mp4, language, 0, cues);
  }

  /**
   * The same, with the stream's disposition ({@code AV_DISPOSITION_FORCED},
   * {@code AV_DISPOSITION_HEARING_IMPAIRED}), which the MP4 muxer writes as a {@code kind} box.
   */
  public static void addStream(File mp4, String language, int disposition, List<Cue> cues) {
    Ffmpeg.init();
    File out = new File(mp4.getPath() + ".text.mp4");
    String path = out.getPath();
    try (MediaInput input = new MediaInput(mp4.getPath())) {
      AVFormatContext in = input.format();
      AVFormatContext ctx = new AVFormatContext(null);
      check(path, avformat_alloc_output_context2(ctx, null, "mp4", path), "allocate muxer");
      AVPacket packet = av_packet_alloc();
      try {
        int streams = in.nb_streams();
        for (int i = 0; i < streams; i++) {
          AVStream from = in.streams(i);
          AVStream to = avformat_new_stream(ctx, null);
          check(path, avcodec_parameters_copy(to.codecpar(), from.codecpar()), "copy codec parameters");
          to.codecpar().codec_tag(0);
          to.time_base(from.time_base());
          to.disposition(from.disposition());
          AVDictionary metadata = new AVDictionary(null);
          av_dict_copy(metadata, from.metadata(), 0);
          to.metadata(metadata);
        }
        AVStream text = avformat_new_stream(ctx, null);
        text.codecpar().codec_type(AVMEDIA_TYPE_SUBTITLE);
        text.codecpar().codec_id(AV_CODEC_ID_MOV_TEXT);
        BytePointer extradata = new BytePointer(av_mallocz(TX3G.length + AV_INPUT_BUFFER_PADDING_SIZE))
            .capacity(TX3G.length + AV_INPUT_BUFFER_PADDING_SIZE);
        extradata.put(TX3G);
        text.codecpar().extradata(extradata);
        text.codecpar().extradata_size(TX3G.length);
        text.time_base(av_make_q(1, 1000));
        text.disposition(disposition);
        AVDictionary textMetadata = new AVDictionary(null);
        av_dict_set(textMetadata, "language", language, 0);
        text.metadata(textMetadata);

        AVIOContext io = new AVIOContext(null);
        check(path, avio_open(io, path, AVIO_FLAG_WRITE), "open output");
        ctx.pb(io);
        check(path, avformat_write_header(ctx, (AVDictionary) null), "write header");
        // The interleaving queue orders these among the copied packets by time.
        for (Cue cue : cues) {
          byte[] utf8 = cue.plainText().getBytes(StandardCharsets.UTF_8);
          check(path, av_new_packet(packet, utf8.length + 2), "allocate packet");
          packet.data().capacity(utf8.length + 2).asBuffer()
              .put(ByteBuffer.allocate(2).putShort((short) utf8.length).array()).put(utf8);
          packet.pts(cue.startMillis());
          packet.dts(cue.startMillis());
          packet.duration(cue.endMillis() - cue.startMillis());
          packet.flags(AV_PKT_FLAG_KEY);
          packet.stream_index(streams);
          av_packet_rescale_ts(packet, av_make_q(1, 1000), ctx.streams(streams).time_base());
          check(path, av_interleaved_write_frame(ctx, packet), "write text sample");
        }
        AVPacket copied;
        while ((copied = input.nextPacket()) != null) {
          int index = copied.stream_index();
          av_packet_rescale_ts(copied, in.streams(index).time_base(), ctx.streams(index).time_base());
          copied.pos(-1);
          check(path, av_interleaved_write_frame(ctx, copied), "copy packet");
        }
        check(path, av_write_trailer(ctx), "write trailer");
      } finally {
        av_packet_free(packet);
        if (ctx.pb() != null && !ctx.pb().isNull()) {
          avio_closep(ctx.pb());
        }
        avformat_free_context(ctx);
      }
    }
    try {
      Files.move(out.toPath(), mp4.toPath(), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void check(String path, int ret, String what) {
    if (ret < 0) {
      throw new MediaException(path, "cannot " + what + ": " + Ffmpeg.errorText(ret));
    }
  }
}
