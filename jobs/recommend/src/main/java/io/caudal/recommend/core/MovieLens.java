package io.caudal.recommend.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * MovieLens files in the layouts users download: 100k (u.data tab-separated + u.item '|'-separated,
 * latin-1) and 1M (ratings.dat + movies.dat '::'-separated, latin-1).
 *
 * <p>Item ids stay the MovieLens ids as strings. Refused lines are counted in {@link Problems} under
 * the reasons below, each example being {@code file:line: text}.
 */
public final class MovieLens {
  static final String UNPARSABLE_RATING = "unparsable rating line";
  static final String RATING_OUT_OF_RANGE = "rating outside 1-5";
  static final String UNKNOWN_TITLE = "unknown title";
  static final String UNPARSABLE_MOVIE = "unparsable movie line";
  static final String DUPLICATE_MOVIE = "duplicate movie id";

  /** u.item's 19 genre flags, in column order. */
  private static final List<String> GENRES_100K = List.of(
      "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama",
      "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western");
  private static final int FIRST_GENRE_COLUMN_100K = 5;

  public enum Layout {
    ML_100K("u.data", "u.item", Pattern.compile("\t"), Pattern.compile("\\|")),
    ML_1M("ratings.dat", "movies.dat", Pattern.compile("::"), Pattern.compile("::"));

    private final String ratingsFile;
    private final String moviesFile;
    private final Pattern ratingSeparator;
    private final Pattern movieSeparator;

    Layout(String ratingsFile, String moviesFile, Pattern ratingSeparator, Pattern movieSeparator) {
      this.ratingsFile = ratingsFile;
      this.moviesFile = moviesFile;
      this.ratingSeparator = ratingSeparator;
      this.movieSeparator = movieSeparator;
    }
  }

  public record Dataset(Layout layout, List<Rating> ratings, Map<String, String> titles,
      Map<String, List<String>> genres, Problems problems) {}

  private record Movie(String id, String title, List<String> genres) {}

  private MovieLens() {}

  /**
   * Detects the layout and reads it. Lines that do not parse, ratings outside 1–5 and ratings of a movie
   * the movie file lacks are counted in problems (with file:line examples) and left out.
   *
   * @throws IllegalArgumentException naming the folder and the files looked for when neither layout is there
   */
  public static Dataset read(Path dir) throws IOException {
    Layout layout = detect(dir);
    Problems problems = new Problems();
    Map<String, String> titles = new LinkedHashMap<>();
    Map<String, List<String>> genres = new LinkedHashMap<>();
    forEachLine(dir.resolve(layout.moviesFile), (where, line) -> {
      Movie movie = parseMovie(layout, line);
      if (movie == null) {
        problems.add(UNPARSABLE_MOVIE, where + line);
      } else if (titles.containsKey(movie.id())) {
        problems.add(DUPLICATE_MOVIE, where + line);
      } else {
        titles.put(movie.id(), movie.title());
        genres.put(movie.id(), movie.genres());
      }
    });
    List<Rating> ratings = new ArrayList<>();
    forEachLine(dir.resolve(layout.ratingsFile), (where, line) -> {
      Rating rating = parseRating(layout, line);
      if (rating == null) {
        problems.add(UNPARSABLE_RATING, where + line);
      } else if (!(rating.value() >= 1 && rating.value() <= 5)) {
        problems.add(RATING_OUT_OF_RANGE, where + line);
      } else if (!titles.containsKey(rating.itemId())) {
        problems.add(UNKNOWN_TITLE, where + line);
      } else {
        ratings.add(rating);
      }
    });
    return new Dataset(layout, Collections.unmodifiableList(ratings), Collections.unmodifiableMap(titles),
        Collections.unmodifiableMap(genres), problems);
  }

  /** 100k wins if a folder somehow holds both. */
  private static Layout detect(Path dir) {
    for (Layout layout : Layout.values()) {
      if (Files.isRegularFile(dir.resolve(layout.ratingsFile)) && Files.isRegularFile(dir.resolve(layout.moviesFile))) {
        return layout;
      }
    }
    throw new IllegalArgumentException("no MovieLens data in " + dir + (Files.isDirectory(dir) ? "" : " (no such folder)")
        + ": looked for u.data + u.item (MovieLens 100k) or ratings.dat + movies.dat (MovieLens 1M)");
  }

  private interface LineHandler {
    void accept(String where, String line);
  }

  /** Calls the handler with "file:line: " and the text of each non-blank line; the files are latin-1. */
  private static void forEachLine(Path file, LineHandler handler) throws IOException {
    String name = file.getFileName().toString();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
      int number = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        number++;
        if (!line.isBlank()) {
          handler.accept(name + ":" + number + ": ", line);
        }
      }
    }
  }

  /** userId, movieId, rating, timestamp; null when the line does not have that shape. */
  private static Rating parseRating(Layout layout, String line) {
    String[] f = layout.ratingSeparator.split(line.strip(), -1);
    if (f.length != 4) {
      return null;
    }
    try {
      String user = id(f[0]);
      String item = id(f[1]);
      return new Rating(user, item, Double.parseDouble(f[2].strip()), Long.parseLong(f[3].strip()));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** null when the line does not have the layout's shape. */
  private static Movie parseMovie(Layout layout, String line) {
    String[] f = layout.movieSeparator.split(line.strip(), -1);
    try {
      if (layout == Layout.ML_100K) {
        if (f.length != FIRST_GENRE_COLUMN_100K + GENRES_100K.size()) {
          return null;
        }
        List<String> genres = new ArrayList<>();
        for (int g = 0; g < GENRES_100K.size(); g++) {
          switch (f[FIRST_GENRE_COLUMN_100K + g].strip()) {
            case "1" -> genres.add(GENRES_100K.get(g));
            case "0" -> { }
            default -> {
              return null;
            }
          }
        }
        return new Movie(id(f[0]), f[1].strip(), List.copyOf(genres));
      }
      if (f.length != 3) {
        return null;
      }
      String genres = f[2].strip();
      return new Movie(id(f[0]), f[1].strip(), genres.isEmpty() ? List.of() : List.of(genres.split("\\|")));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** MovieLens ids are non-negative integers; kept as the file writes them. */
  private static String id(String field) {
    String id = field.strip();
    if (Integer.parseInt(id) < 0) {
      throw new NumberFormatException("negative id " + id);
    }
    return id;
  }
}
