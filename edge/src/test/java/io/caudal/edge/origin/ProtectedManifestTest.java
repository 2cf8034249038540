package io.caudal.edge.origin;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.testing.SampleTitles;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MPD of a protected title as edge serves it: the licence URL absolute on this server, steering kept. */
class ProtectedManifestTest {

  static final String CONTENT_PROTECTION = """
            <ContentProtection schemeIdUri="urn:mpeg:dash:mp4protection:2011" value="cbcs" cenc:default_KID="0123-4567"/>
            <ContentProtection schemeIdUri="urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e" value="ClearKey1.0">
              <dashif:Laurl>../../licence/clearkey</dashif:Laurl>
            </ContentProtection>
      """;
  static final String PROTECTED_MPD = SampleTitles.MPD
      .replace("<MPD ", "<MPD xmlns:cenc=\"urn:mpeg:cenc:2013\" xmlns:dashif=\"https://dashif.org/\" ")
      .replace("      <Representation", CONTENT_PROTECTION + "      <Representation");

  final Map<String, String> pathways = new LinkedHashMap<>();

  ProtectedManifestTest() {
    pathways.put("a", "http://a:8080/t/tok.en/vod/t1/");
    pathways.put("b", "http://b:8081/t/tok.en/vod/t1/");
  }

  @Test
  void makesTheLicenceUrlAbsoluteOnThisServerWithTheManifestsToken() {
    String out = ManifestRewriter.dashMpd(PROTECTED_MPD, pathways, "http://a:8080/steering/dash/r");

    assertThat(out).contains("<dashif:Laurl>http://a:8080/t/tok.en/licence/clearkey</dashif:Laurl>")
        .doesNotContain("../../licence");
    // Everything else as for a clear title: steering, one BaseURL per pathway, the protection signalled.
    assertThat(out).contains("<ContentSteering defaultServiceLocation=\"a\" queryBeforeStart=\"true\">"
            + "http://a:8080/steering/dash/r</ContentSteering>")
        .contains("<BaseURL serviceLocation=\"a\">http://a:8080/t/tok.en/vod/t1/</BaseURL>")
        .contains("<BaseURL serviceLocation=\"b\">http://b:8081/t/tok.en/vod/t1/</BaseURL>")
        .contains("urn:mpeg:dash:mp4protection:2011").contains("cenc:default_KID=\"0123-4567\"")
        .contains("urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e");
  }

  @Test
  void keepsAnAbsoluteLicenceUrlAndReadsTheLowerCaseSpelling() {
    String absolute = PROTECTED_MPD.replace("../../licence/clearkey", "https://licences.example/clearkey");
    assertThat(ManifestRewriter.dashMpd(absolute, pathways, "s"))
        .contains("<dashif:Laurl>https://licences.example/clearkey</dashif:Laurl>");

    String lower = PROTECTED_MPD.replace("dashif:Laurl", "dashif:laurl");
    assertThat(ManifestRewriter.dashMpd(lower, pathways, "s"))
        .contains("<dashif:laurl>http://a:8080/t/tok.en/licence/clearkey</dashif:laurl>");
  }

  @Test
  void leavesAClearTitlesMpdWithoutALicenceUrl() {
    assertThat(ManifestRewriter.dashMpd(SampleTitles.MPD, pathways, "s")).doesNotContainIgnoringCase("laurl");
  }
}
