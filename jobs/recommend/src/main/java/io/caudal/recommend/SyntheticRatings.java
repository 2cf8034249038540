package io.caudal.recommend;

import io.caudal.recommend.core.PlantedTasteRatings;
import io.caudal.recommend.core.Rating;
import io.caudal.schemas.cli.CommandLines;
import io.caudal.schemas.cli.UsageException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Entry point of the benchmark's data: writes ratings with planted taste clusters
 * ({@link PlantedTasteRatings}) in the MovieLens 1M layout (ratings.dat, movies.dat), so the job
 * and other libraries read the very same data.
 *
 * <pre>SyntheticRatings DIR [users 6040] [items 3706] [interactions 1000209] [clusters 20] [seed 42]</pre>
 */
public final class SyntheticRatings {
  // MovieLens 1M's numbers of users, titles and ratings.
  public static final int DEFAULT_USERS = 6040;
  public static final int DEFAULT_ITEMS = 3706;
  public static final long DEFAULT_INTERACTIONS = 1_000_209;
  public static final int DEFAULT_CLUSTERS = 20;
  public static final long DEFAULT_SEED = 42;

  private SyntheticRatings() {}

  /**
   * What to write.
   *
   * @param dir the folder of ratings.dat and movies.dat
   * @param users users, named u0, u1, …
   * @param items titles, named t0, t1, …
   * @param interactions ratings to write at most
   * @param clusters taste clusters, at most one per title
   * @param seed seed of the random source
   */
  record Options(Path dir, int users, int items, long interactions, int clusters, long seed) {
    /**
     * Parses the command line.
     *
     * @return what to write, or empty when help was asked for
     * @throws UsageException naming the argument and what is wrong with it
     */
    static Optional<Options> parse(String... args) {
      return CommandLines.parse(new Cli(), args).map(Cli::toOptions);
    }

    static String usage() {
      return CommandLines.usage(new Cli());
    }
  }

  @Command(name = "SyntheticRatings", sortOptions = false,
      description = "Writes ratings with planted taste clusters in the MovieLens 1M layout (ratings.dat, movies.dat).")
  static final class Cli {
    @Parameters(index = "0", paramLabel = "DIR", description = "the folder to write ratings.dat and movies.dat to")
    Path dir;
    @Parameters(index = "1", arity = "0..1", paramLabel = "USERS", description = "users (default ${DEFAULT-VALUE})")
    int users = DEFAULT_USERS;
    @Parameters(index = "2", arity = "0..1", paramLabel = "ITEMS", description = "titles (default ${DEFAULT-VALUE})")
    int items = DEFAULT_ITEMS;
    @Parameters(index = "3", arity = "0..1", paramLabel = "INTERACTIONS",
        description = "ratings, at most (default ${DEFAULT-VALUE})")
    long interactions = DEFAULT_INTERACTIONS;
    @Parameters(index = "4", arity = "0..1", paramLabel = "CLUSTERS",
        description = "taste clusters, at most one per title (default ${DEFAULT-VALUE})")
    int clusters = DEFAULT_CLUSTERS;
    @Parameters(index = "5", arity = "0..1", paramLabel = "SEED",
        description = "random seed, any long (default ${DEFAULT-VALUE})")
    long seed = DEFAULT_SEED;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    Options toOptions() {
      atLeastOne("USERS", users);
      atLeastOne("ITEMS", items);
      if (interactions < 1) {
        throw new UsageException("INTERACTIONS must be a whole number of at least 1, got '" + interactions + "'");
      }
      if (clusters < 1 || clusters > items) {
        throw new UsageException("CLUSTERS must be a whole number from 1 to ITEMS (" + items + "), got '"
            + clusters + "'");
      }
      return new Options(dir, users, items, interactions, clusters, seed);
    }

    private static void atLeastOne(String argument, int value) {
      if (value < 1) {
        throw new UsageException(argument + " must be a whole number of at least 1, got '" + value + "'");
      }
    }
  }

  public static void main(String[] args) throws IOException {
    Optional<Options> parsed;
    try {
      parsed = Options.parse(args);
    } catch (UsageException e) {
      System.exit(CommandLines.refuse("SyntheticRatings", e, System.err));
      return;
    }
    if (parsed.isEmpty()) {
      System.out.print(Options.usage());
      return;
    }
    Options options = parsed.get();
    List<Rating> ratings = PlantedTasteRatings.generate(options.users(), options.items(), options.interactions(),
        options.clusters(), options.seed());
    PlantedTasteRatings.writeMovieLens1m(options.dir(), ratings, options.items(), options.clusters());
    System.out.println("wrote " + ratings.size() + " ratings of " + options.users() + " users and " + options.items()
        + " titles to " + options.dir());
  }
}
