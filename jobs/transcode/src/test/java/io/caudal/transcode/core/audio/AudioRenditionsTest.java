package io.caudal.transcode.core.audio;

import io.caudal.transcode.core.lang.Languages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.caudal.transcode.core.media.AudioStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Language tags, names and the renditions made of a source's audio streams. */
class AudioRenditionsTest {
  private static AudioStream stream(int index, String language, int channels) {
    return new AudioStream(index, index + 1, language, null, channels, channels == 6 ? "5.1" : "stereo", 48_000,
        6_000_000);
  }

  @Test
  void iso639TwoAndBcp47TagsBecomeBcp47() {
    assertThat(Languages.normalise("eng")).isEqualTo("en");
    assertThat(Languages.normalise("fre")).isEqualTo("fr");
    assertThat(Languages.normalise("fra")).isEqualTo("fr");
    assertThat(Languages.normalise("ger")).isEqualTo("de");
    assertThat(Languages.normalise("deu")).isEqualTo("de");
    assertThat(Languages.normalise("chi")).isEqualTo("zh");
    assertThat(Languages.normalise("EN")).isEqualTo("en");
    assertThat(Languages.normalise("pt_br")).isEqualTo("pt-BR");
    assertThat(Languages.normalise("es-419")).isEqualTo("es-419");
    assertThat(Languages.normalise("yue")).isEqualTo("yue");
  }

  @Test
  void noTagUndOrSomethingElseIsUndetermined() {
    assertThat(Languages.normalise(null)).isEqualTo("und");
    assertThat(Languages.normalise("und")).isEqualTo("und");
    assertThat(Languages.normalise("")).isEqualTo("und");
    assertThat(Languages.normalise("English")).isEqualTo("und");
    assertThat(Languages.normalise("12")).isEqualTo("und");
    assertThat(Languages.isLanguage("fr")).isTrue();
    assertThat(Languages.isLanguage("français")).isFalse();
  }

  @Test
  void namesAreInTheirOwnLanguageAndCapitalised() {
    assertThat(Languages.nameOf("en")).isEqualTo("English");
    assertThat(Languages.nameOf("fr")).isEqualTo("Français");
    assertThat(Languages.nameOf("de")).isEqualTo("Deutsch");
    assertThat(Languages.nameOf("ja")).isEqualTo("日本語");
    assertThat(Languages.nameOf("pt-BR")).startsWith("Português (Brasil");
    assertThat(Languages.nameOf("und")).isEqualTo("Main");
  }

  @Test
  void aStereoAndAFiveOneStreamMakeThreeRenditionsTheFirstStereoDefault() {
    List<AudioRenditionPlan> plans = AudioRenditionPlan.of(List.of(stream(0, "eng", 2), stream(1, "fre", 6)), Map.of());

    assertThat(plans).extracting(AudioRenditionPlan::trackId, AudioRenditionPlan::dir, AudioRenditionPlan::sourceIndex,
            AudioRenditionPlan::language, AudioRenditionPlan::name, AudioRenditionPlan::channels,
            AudioRenditionPlan::isDefault)
        .containsExactly(
            tuple("audio-en-2ch", "audio/en-2ch", 0, "en", "English", 2, true),
            tuple("audio-fr-2ch", "audio/fr-2ch", 1, "fr", "Français", 2, false),
            tuple("audio-fr-6ch", "audio/fr-6ch", 1, "fr", "Français 5.1", 6, false));
    assertThat(plans).extracting(AudioRenditionPlan::layout).containsExactly("stereo", "stereo", "5.1");
  }

  @Test
  void anUntaggedStreamTakesTheOperatorsLanguageElseUnd() {
    List<AudioRenditionPlan> plans = AudioRenditionPlan.of(
        List.of(stream(0, null, 2), stream(1, null, 2), stream(2, "spa", 2)), Map.of(1, "de", 2, "it"));

    // The stream's own tag wins over the option; a stream nobody names is "und".
    assertThat(plans).extracting(AudioRenditionPlan::trackId, AudioRenditionPlan::name)
        .containsExactly(tuple("audio-und-2ch", "Main"), tuple("audio-de-2ch", "Deutsch"),
            tuple("audio-es-2ch", "Español"));
  }

  @Test
  void aSecondStreamOfOneLanguageGetsItsIndexInItsIdAndANumberInItsName() {
    List<AudioRenditionPlan> plans = AudioRenditionPlan.of(List.of(stream(0, "en", 2), stream(1, "en", 2)), Map.of());

    assertThat(plans).extracting(AudioRenditionPlan::trackId, AudioRenditionPlan::name)
        .containsExactly(tuple("audio-en-2ch", "English"), tuple("audio-en-a1-2ch", "English (2)"));
  }

  @Test
  void aMonoStreamStillGetsAStereoRendition() {
    assertThat(AudioRenditionPlan.of(List.of(stream(0, "en", 1)), Map.of()))
        .singleElement().satisfies(p -> assertThat(p.channels()).isEqualTo(2));
  }

  @Test
  void trackIdsAndFoldersFollowTheLayout() {
    assertThat(AudioRenditionPlan.isAudioTrack("audio-fr-6ch")).isTrue();
    assertThat(AudioRenditionPlan.isAudioTrack("720p")).isFalse();
    assertThat(AudioRenditionPlan.dirOf("audio-fr-6ch")).isEqualTo("audio/fr-6ch");
  }
}
