package io.caudal.transcode.core.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.w3c.dom.ls.LSInput;
import org.w3c.dom.ls.LSResourceResolver;
import org.xml.sax.SAXException;

/** MPEG's DASH MPD schema (test resources {@code dash/}), for validating the MPDs we write. */
public final class DashSchema {
  private static final String XLINK = "http://www.w3.org/XML/2008/06/xlink.xsd";
  private static final Schema SCHEMA = load();

  private DashSchema() {}

  /** Validates an MPD; throws SAXException naming the first violation. */
  public static void validate(String mpd) throws SAXException, IOException {
    SCHEMA.newValidator().validate(new StreamSource(new StringReader(mpd)));
  }

  private static Schema load() {
    SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
    // The schema imports W3C's xlink.xsd by URL: served from the test resources instead.
    factory.setResourceResolver(new LSResourceResolver() {
      @Override
      public LSInput resolveResource(String type, String ns, String publicId, String systemId, String base) {
        if (!XLINK.equals(systemId)) {
          return null;
        }
        return new LocalInput(DashSchema.class.getResourceAsStream("/dash/xlink.xsd"), systemId);
      }
    });
    try (InputStream xsd = DashSchema.class.getResourceAsStream("/dash/DASH-MPD.xsd")) {
      return factory.newSchema(new StreamSource(xsd, "DASH-MPD.xsd"));
    } catch (SAXException e) {
      throw new IllegalStateException("DASH-MPD.xsd does not load", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record LocalInput(InputStream stream, String systemId) implements LSInput {
    @Override public java.io.Reader getCharacterStream() { return null; }
    @Override public void setCharacterStream(java.io.Reader r) { }
    @Override public InputStream getByteStream() { return stream; }
    @Override public void setByteStream(InputStream s) { }
    @Override public String getStringData() { return null; }
    @Override public void setStringData(String s) { }
    @Override public String getSystemId() { return systemId; }
    @Override public void setSystemId(String s) { }
    @Override public String getPublicId() { return null; }
    @Override public void setPublicId(String s) { }
    @Override public String getBaseURI() { return null; }
    @Override public void setBaseURI(String s) { }
    @Override public String getEncoding() { return null; }
    @Override public void setEncoding(String s) { }
    @Override public boolean getCertifiedText() { return false; }
    @Override public void setCertifiedText(boolean b) { }
  }
}
