package io.caudal.edge.http;

import io.caudal.edge.catalog.CatalogSearch;
import io.caudal.schemas.CatalogEntry;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.util.Fields;

/** The catalog: {@code /v1/titles?name=&category=} searches it, {@code /v1/titles/<id>} answers one title. */
public final class CatalogHandler {

  private static final String ONE_TITLE_PREFIX = "/v1/titles/";

  private final CatalogSearch catalog;
  private final UnaryOperator<CatalogEntry> rated;

  public CatalogHandler(CatalogSearch catalog) {
    this(catalog, UnaryOperator.identity());
  }

  /** @param rated fills a row's rating columns (the table's are as transcode wrote them) */
  public CatalogHandler(CatalogSearch catalog, UnaryOperator<CatalogEntry> rated) {
    this.catalog = catalog;
    this.rated = rated;
  }

  /** {@code /v1/titles} and {@code /v1/titles/<id>} */
  public void titles(Exchange x) throws IOException {
    String path = x.path();
    if (path.startsWith(ONE_TITLE_PREFIX) && path.length() > ONE_TITLE_PREFIX.length()) {
      title(x, path.substring(ONE_TITLE_PREFIX.length()));
    } else {
      search(x);
    }
  }

  private void title(Exchange x, String id) throws IOException {
    Optional<CatalogEntry> entry = catalog.byId(id);
    if (entry.isEmpty()) {
      x.error(404, "no title " + id);
    } else {
      x.json(200, rated.apply(entry.get()));
    }
  }

  private void search(Exchange x) throws IOException {
    Fields query = x.query();
    for (String name : query.getNames()) {
      if (!name.equals("name") && !name.equals("category")) {
        throw new IllegalArgumentException("unknown query parameter " + name + "; use name and category");
      }
    }
    List<CatalogEntry> found = catalog.search(blankToNull(query.getValue("name")), blankToNull(query.getValue("category")));
    x.json(200, new Titles(found.stream().map(rated).toList()));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /** A search's answer: the titles found, by name. */
  record Titles(List<CatalogEntry> titles) {}
}
