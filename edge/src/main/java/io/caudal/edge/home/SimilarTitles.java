package io.caudal.edge.home;

import java.util.List;

/** Titles like {@code titleId}, nearest first. */
public record SimilarTitles(String titleId, List<TitleCard> titles) {}
