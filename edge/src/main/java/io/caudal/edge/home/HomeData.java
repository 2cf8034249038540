package io.caudal.edge.home;

import io.caudal.schemas.CatalogEntry;
import io.caudal.schemas.QoeMinute;
import io.caudal.schemas.QoeSession;
import io.caudal.schemas.Recommendation;
import java.util.List;
import java.util.Map;

/**
 * What a {@link HomeIndex} is built from: the rows of the tables, and the time the index answers for.
 *
 * @param ratings per title, as {@link RatingsBook#summaries()} makes them
 * @param nowMillis the time "the last 24 hours" and "recent" are measured from
 * @param dataVersion names the tables' contents the rows were read from (changes when they do)
 */
public record HomeData(List<CatalogEntry> catalog, List<QoeSession> sessions, List<QoeMinute> minutes,
    List<Recommendation> recommendations, Map<String, RatingSummary> ratings, long nowMillis, String dataVersion) {}
