package io.caudal.recommend.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Ratings with planted taste clusters, for tests and the benchmark: users and titles each belong
 * to one of {@code clusters} tastes; a user mostly rates titles of their own taste (and rates
 * them high), sometimes a popular title of any taste. Item popularity is skewed (Zipf-like), so
 * a popularity baseline is a real competitor, and the right answer is known. The benchmark writes
 * them with {@code io.caudal.recommend.SyntheticRatings}.
 */
public final class PlantedTasteRatings {
  /** Share of a user's interactions drawn from their own taste. */
  static final double IN_TASTE = 0.8;

  private PlantedTasteRatings() {}

  public static int tasteOfUser(int user, int clusters) {
    return user % clusters;
  }

  public static int tasteOfItem(int item, int clusters) {
    return item % clusters;
  }

  public static List<Rating> generate(int users, int items, long interactions, int clusters, long seed) {
    Random random = new Random(seed);
    double[] popularity = new double[items];
    for (int i = 0; i < items; i++) {
      popularity[i] = 1.0 / Math.pow(i + 1, 0.8);
    }
    double[][] byTaste = cumulative(popularity, items, clusters);
    double[] all = cumulative(popularity);
    List<Rating> out = new ArrayList<>((int) interactions);
    long perUser = Math.max(1, interactions / users);
    long start = 1_600_000_000_000L;
    for (int u = 0; u < users && out.size() < interactions; u++) {
      int taste = tasteOfUser(u, clusters);
      // Activity varies between users, as it does in real logs.
      long n = Math.max(5, Math.round(perUser * (0.3 + 1.4 * random.nextDouble())));
      Set<Integer> seen = new HashSet<>();
      for (int j = 0; j < n * 3 && seen.size() < n && out.size() < interactions; j++) {
        boolean inTaste = random.nextDouble() < IN_TASTE;
        int item = inTaste
            ? taste + clusters * pick(byTaste[taste], random)
            : pick(all, random);
        if (item >= items || !seen.add(item)) {
          continue;
        }
        double stars = tasteOfItem(item, clusters) == taste ? 4 + random.nextInt(2) : 1 + random.nextInt(3);
        long time = start + (long) (random.nextDouble() * 365L * 86_400_000L);
        out.add(new Rating("u" + u, "t" + item, stars, time));
      }
    }
    return out;
  }

  /** Writes generated ratings as MovieLens 1M's ratings.dat and movies.dat (ids from 1). */
  public static void writeMovieLens1m(Path dir, List<Rating> ratings, int items, int clusters) throws IOException {
    Files.createDirectories(dir);
    try (var out = Files.newBufferedWriter(dir.resolve("ratings.dat"), StandardCharsets.ISO_8859_1)) {
      for (Rating r : ratings) {
        // MovieLens ids are numbers, from 1.
        out.write((Integer.parseInt(r.userId().substring(1)) + 1) + "::" + (Integer.parseInt(r.itemId().substring(1)) + 1)
            + "::" + (int) r.value() + "::" + r.timestamp() / 1000 + "\n");
      }
    }
    try (var out = Files.newBufferedWriter(dir.resolve("movies.dat"), StandardCharsets.ISO_8859_1)) {
      for (int i = 0; i < items; i++) {
        out.write((i + 1) + "::Title " + (i + 1) + " (2020)::Taste" + tasteOfItem(i, clusters) + "\n");
      }
    }
  }

  private static double[][] cumulative(double[] popularity, int items, int clusters) {
    double[][] out = new double[clusters][];
    for (int c = 0; c < clusters; c++) {
      int count = (items - c + clusters - 1) / clusters;
      double[] p = new double[count];
      for (int k = 0; k < count; k++) {
        p[k] = popularity[c + k * clusters];
      }
      out[c] = cumulative(p);
    }
    return out;
  }

  private static double[] cumulative(double[] p) {
    double[] c = new double[p.length];
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      sum += p[i];
      c[i] = sum;
    }
    for (int i = 0; i < c.length; i++) {
      c[i] /= sum;
    }
    return c;
  }

  private static int pick(double[] cumulative, Random random) {
    int at = Arrays.binarySearch(cumulative, random.nextDouble());
    return Math.min(cumulative.length - 1, at >= 0 ? at : -at - 1);
  }
}
