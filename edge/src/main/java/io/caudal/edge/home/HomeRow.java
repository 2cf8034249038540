package io.caudal.edge.home;

import java.util.List;

/**
 * One row of a viewer's home page.
 *
 * @param id what kind of row: {@code continue}, {@code top-picks}, {@code because-you-watched}, {@code trending} or {@code new}
 * @param title the row's heading, as a viewer reads it
 * @param reason why these titles, in a sentence
 * @param titles the row's titles, best first
 */
public record HomeRow(String id, String title, String reason, List<TitleCard> titles) {}
