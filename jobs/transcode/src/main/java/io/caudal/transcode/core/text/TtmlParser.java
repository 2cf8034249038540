package io.caudal.transcode.core.text;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads TTML (TTML1/TTML2, IMSC 1 text profile, DFXP) with the JDK's SAX parser, with DOCTYPEs
 * and external entities refused, so a file can neither read local files nor reach the network.
 *
 * <p>Each {@code <p>} is a cue. Times may be clock times ({@code 00:00:01.500},
 * {@code 00:00:01:12} with frames) or offsets ({@code 1.5s}, {@code 1500ms}, {@code 36f},
 * {@code 15000000t}), frames counted at {@code ttp:frameRate} × {@code ttp:frameRateMultiplier}
 * and ticks at {@code ttp:tickRate}; {@code begin}, {@code end} and {@code dur} on body, div and p
 * nest (parallel time containers: a child's times count from its parent's begin). Spans nest;
 * italic and bold ({@code tts:fontStyle}, {@code tts:fontWeight}, inline or through a referenced
 * style) become {@code <i>} and {@code <b>}; {@code <br/>} breaks the line. Timing on a span is
 * refused rather than shown at the wrong time.
 */
public final class TtmlParser {
  private static final Pattern CLOCK = Pattern.compile(
      "^(\\d{2,}):(\\d{2}):(\\d{2})(?:(\\.\\d+)|:(\\d{2,})(?:\\.(\\d+))?)?$");
  private static final Pattern OFFSET = Pattern.compile("^(\\d+(?:\\.\\d+)?)(h|m|s|ms|f|t)$");
  private static final String XML_NS = "http://www.w3.org/XML/1998/namespace";

  private TtmlParser() {}

  public static List<Cue> parse(String file, byte[] content) {
    Handler handler = new Handler(file);
    try {
      secureParser().parse(new ByteArrayInputStream(content), handler);
    } catch (SAXParseException e) {
      throw new SubtitleFormatException(file, Math.max(1, e.getLineNumber()), "not well-formed XML: " + e.getMessage());
    } catch (SAXException | IOException e) {
      throw new SubtitleFormatException(file, handler.line(), "cannot read: " + e.getMessage());
    }
    return handler.cues;
  }

  private static SAXParser secureParser() {
    try {
      SAXParserFactory factory = SAXParserFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setXIncludeAware(false);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
      factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      return factory.newSAXParser();
    } catch (ParserConfigurationException | SAXException e) {
      throw new IllegalStateException("the JDK's XML parser lacks a secure-processing feature", e);
    }
  }

  /** The time parameters of a document. */
  private record Rates(double frameRate, double tickRate) {
    static Rates of(Attributes root) {
      double frameRate = 30;
      String fr = param(root, "frameRate");
      if (fr != null) {
        frameRate = Double.parseDouble(fr.strip());
      }
      String multiplier = param(root, "frameRateMultiplier");
      if (multiplier != null) {
        String[] parts = multiplier.strip().split("\\s+");
        frameRate = frameRate * Double.parseDouble(parts[0]) / Double.parseDouble(parts[1]);
      }
      String sub = param(root, "subFrameRate");
      double subFrameRate = sub == null ? 1 : Double.parseDouble(sub.strip());
      String tr = param(root, "tickRate");
      double tickRate = tr != null ? Double.parseDouble(tr.strip()) : fr != null ? frameRate * subFrameRate : 1;
      if (!(frameRate > 0) || !(tickRate > 0)) {
        throw new NumberFormatException("rates must be positive");
      }
      return new Rates(frameRate, tickRate);
    }
  }

  /** An open element: its absolute begin and end (null: open-ended) and the style it passes on. */
  private record Frame(String name, long begin, Long end, boolean italic, boolean bold) {}

  private static final class Handler extends DefaultHandler {
    private final String file;
    private final List<Cue> cues = new ArrayList<>();
    private final Deque<Frame> open = new ArrayDeque<>();
    private final Map<String, Attributes> styles = new HashMap<>();
    private Locator locator;
    private Rates rates = new Rates(30, 1);
    private StringBuilder text;
    private int paragraphDepth = -1;
    private int paragraphLine;
    private int foreignDepth;

    Handler(String file) {
      this.file = file;
    }

    int line() {
      return locator == null ? 1 : Math.max(1, locator.getLineNumber());
    }

    @Override
    public void setDocumentLocator(Locator locator) {
      this.locator = locator;
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes attrs) {
      if (open.isEmpty() && foreignDepth == 0) {
        if (!"tt".equals(localName)) {
          throw error("not TTML: the root element is <" + qName + ">, not <tt>");
        }
        String timeBase = param(attrs, "timeBase");
        if ("smpte".equals(timeBase)) {
          throw error("ttp:timeBase=\"smpte\" is not supported (media or clock time only)");
        }
        try {
          rates = Rates.of(attrs);
        } catch (RuntimeException e) {
          throw error("bad ttp:frameRate, ttp:frameRateMultiplier, ttp:subFrameRate or ttp:tickRate");
        }
        open.push(new Frame("tt", 0, null, false, false));
        return;
      }
      if (foreignDepth > 0 || !isTtml(uri)) {
        foreignDepth++; // metadata and other vocabularies carry no cue text
        return;
      }
      Frame parent = open.peek();
      if ("style".equals(localName) && paragraphDepth < 0) {
        String id = attrs.getValue(XML_NS, "id");
        if (id != null) {
          styles.put(id, new org.xml.sax.helpers.AttributesImpl(attrs));
        }
      }
      boolean timed = attrs.getValue("", "begin") != null || attrs.getValue("", "end") != null
          || attrs.getValue("", "dur") != null;
      if (paragraphDepth >= 0 && timed && "span".equals(localName)) {
        throw error("timing on a <span> inside a <p> is not supported: give each timed part its own <p>");
      }
      long begin = parent.begin() + time(attrs, "begin", 0);
      Long end = parent.end();
      if (attrs.getValue("", "end") != null) {
        long e = parent.begin() + time(attrs, "end", 0);
        end = end == null ? e : Math.min(end, e);
      }
      if (attrs.getValue("", "dur") != null) {
        long e = begin + time(attrs, "dur", 0);
        end = end == null ? e : Math.min(end, e);
      }
      boolean italic = parent.italic() || styled(attrs, "fontStyle", "italic", 0);
      boolean bold = parent.bold() || styled(attrs, "fontWeight", "bold", 0);
      Frame frame = new Frame(localName, begin, end, italic, bold);
      if ("p".equals(localName) && paragraphDepth < 0) {
        paragraphDepth = open.size();
        paragraphLine = line();
        text = new StringBuilder();
      } else if ("br".equals(localName) && text != null) {
        text.append('\n');
      }
      if (text != null && "span".equals(localName)) {
        openStyle(parent, frame);
      } else if (text != null && "p".equals(localName)) {
        openStyle(new Frame("", 0, null, false, false), frame);
      }
      open.push(frame);
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
      if (foreignDepth > 0) {
        foreignDepth--;
        return;
      }
      Frame frame = open.pop();
      if (text == null) {
        return;
      }
      Frame parent = open.peek();
      if ("span".equals(frame.name())) {
        closeStyle(parent, frame);
      }
      if (open.size() == paragraphDepth) {
        closeStyle(new Frame("", 0, null, false, false), frame);
        if (frame.end() == null) {
          throw new SubtitleFormatException(file, paragraphLine,
              "cue has no end: give the <p> (or an element around it) an end or a dur");
        }
        if (frame.end() < frame.begin()) {
          throw new SubtitleFormatException(file, paragraphLine, "cue ends before it begins");
        }
        cues.add(new Cue(frame.begin(), frame.end(), tidy(text.toString())));
        text = null;
        paragraphDepth = -1;
      }
    }

    @Override
    public void characters(char[] ch, int start, int length) {
      if (text != null && foreignDepth == 0) {
        // Default xml:space handling: runs of white space are one space.
        text.append(CueText.escape(new String(ch, start, length).replaceAll("[ \\t\\r\\n]+", " ")));
      }
    }

    private void openStyle(Frame outer, Frame inner) {
      if (inner.bold() && !outer.bold()) {
        text.append("<b>");
      }
      if (inner.italic() && !outer.italic()) {
        text.append("<i>");
      }
    }

    private void closeStyle(Frame outer, Frame inner) {
      if (inner.italic() && !outer.italic()) {
        text.append("</i>");
      }
      if (inner.bold() && !outer.bold()) {
        text.append("</b>");
      }
    }

    /** Whether the element, or a style it references, sets the styling attribute to the value. */
    private boolean styled(Attributes attrs, String attribute, String value, int depth) {
      String own = styling(attrs, attribute);
      if (own != null) {
        return value.equals(own.strip());
      }
      String refs = attrs.getValue("", "style");
      if (refs == null || depth > 8) {
        return false;
      }
      for (String ref : refs.strip().split("\\s+")) {
        Attributes style = styles.get(ref);
        if (style != null && styled(style, attribute, value, depth + 1)) {
          return true;
        }
      }
      return false;
    }

    private long time(Attributes attrs, String name, long otherwise) {
      String value = attrs.getValue("", name);
      if (value == null) {
        return otherwise;
      }
      Long millis = millis(value.strip(), rates);
      if (millis == null) {
        throw error("bad time expression '" + value + "' in " + name
            + " (expected 00:00:01.000, 00:00:01:12, or an offset like 1.5s, 1500ms, 36f, 15000t)");
      }
      return millis;
    }

    private SubtitleFormatException error(String cause) {
      return new SubtitleFormatException(file, line(), cause);
    }
  }

  /** Milliseconds of a TTML time expression, or null when it is not one. */
  static Long millis(String value, double frameRate, double tickRate) {
    return millis(value, new Rates(frameRate, tickRate));
  }

  private static Long millis(String value, Rates rates) {
    Matcher clock = CLOCK.matcher(value);
    if (clock.matches()) {
      double seconds = Long.parseLong(clock.group(1)) * 3600.0 + Long.parseLong(clock.group(2)) * 60
          + Long.parseLong(clock.group(3));
      if (clock.group(4) != null) {
        seconds += Double.parseDouble("0" + clock.group(4));
      }
      if (clock.group(5) != null) {
        double frames = Long.parseLong(clock.group(5));
        if (clock.group(6) != null) {
          frames += Double.parseDouble("0." + clock.group(6));
        }
        seconds += frames / rates.frameRate();
      }
      return Math.round(seconds * 1000);
    }
    Matcher offset = OFFSET.matcher(value);
    if (offset.matches()) {
      double n = Double.parseDouble(offset.group(1));
      double seconds = switch (offset.group(2)) {
        case "h" -> n * 3600;
        case "m" -> n * 60;
        case "s" -> n;
        case "ms" -> n / 1000;
        case "f" -> n / rates.frameRate();
        default -> n / rates.tickRate();
      };
      return Math.round(seconds * 1000);
    }
    return null;
  }

  /** Lines trimmed, empty lines and empty style pairs removed. */
  private static String tidy(String text) {
    String t = text;
    String before;
    do {
      before = t;
      t = t.replace("<i></i>", "").replace("<b></b>", "").replace("<i> </i>", " ").replace("<b> </b>", " ");
    } while (!t.equals(before));
    StringBuilder out = new StringBuilder();
    for (String line : t.split("\n")) {
      String stripped = line.strip();
      if (!stripped.isEmpty()) {
        out.append(out.length() > 0 ? "\n" : "").append(stripped);
      }
    }
    return out.toString();
  }

  private static boolean isTtml(String uri) {
    return uri.equals("http://www.w3.org/ns/ttml") || uri.startsWith("http://www.w3.org/2006/") || uri.isEmpty();
  }

  /** A ttp: parameter attribute of the root. */
  private static String param(Attributes attrs, String local) {
    for (int i = 0; i < attrs.getLength(); i++) {
      if (attrs.getLocalName(i).equals(local) && attrs.getURI(i).contains("parameter")) {
        return attrs.getValue(i);
      }
    }
    return null;
  }

  /** A tts: styling attribute. */
  private static String styling(Attributes attrs, String local) {
    for (int i = 0; i < attrs.getLength(); i++) {
      if (attrs.getLocalName(i).equals(local) && attrs.getURI(i).contains("styl")) {
        return attrs.getValue(i);
      }
    }
    return null;
  }
}
