package io.caudal.edge.home;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A title as the viewer's pages show it: the catalog's display fields, its ratings, and in the
 * continue-watching row how far in the viewer got ({@code progress}, 0–1; absent elsewhere).
 */
public record TitleCard(String titleId, String name, String category, long durationMs, long ratingCount,
    Double ratingAverage, @JsonInclude(JsonInclude.Include.NON_NULL) Double progress) {}
