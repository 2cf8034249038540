package io.caudal.edge.home;

import java.util.List;

/**
 * A viewer's home page: rows of titles, no title twice.
 *
 * @param version the recommendation model's version and the data version the page was made from
 */
public record HomePage(String userId, String version, List<HomeRow> rows) {}
