package io.caudal.recommend.core;

import java.io.Serializable;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Item-item models that score a user as the sum of item rows weighted by the user's interactions.
 *
 * <p>The n × n weights are floats: half the memory of doubles for a model that is broadcast to every
 * executor, and rankings do not need more precision.
 */
public final class ItemItemModel implements Serializable {
  private final int n;
  /** Row-major n × n; row i is what interacting with item i adds to every item's score. */
  private final float[] weights;

  private ItemItemModel(int n, float[] weights) {
    this.n = n;
    this.weights = weights;
  }

  /**
   * EASE (Steck 2019): B = I − P·diag(1/diag(P)), P = (G + λI)⁻¹ from the Gram matrix G, diagonal of B zero.
   *
   * @throws IllegalArgumentException when G + λI is not positive definite (λ too small for this G)
   */
  public static ItemItemModel ease(double[] gram, int n, double lambda) {
    checkSquare(gram, n);
    if (!(lambda >= 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
    }
    DMatrixRMaj a = new DMatrixRMaj(n, n);
    System.arraycopy(gram, 0, a.data, 0, n * n);
    for (int i = 0; i < n; i++) {
      a.data[i * n + i] += lambda;
    }
    // G + λI is symmetric positive definite for λ > 0, so Cholesky is the fitting, fastest inverse.
    LinearSolverDense<DMatrixRMaj> cholesky = LinearSolverFactory_DDRM.chol(n);
    if (!cholesky.setA(a)) {
      throw new IllegalArgumentException(
          "G + lambda*I is not positive definite with lambda " + lambda + "; use a larger lambda");
    }
    DMatrixRMaj p = new DMatrixRMaj(n, n);
    cholesky.invert(p);
    float[] b = new float[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        b[i * n + j] = i == j ? 0f : (float) (-p.data[i * n + j] / p.data[j * n + j]);
      }
    }
    return new ItemItemModel(n, b);
  }

  /** Co-occurrence baseline: C = binary XᵀX with a zero diagonal, so an item never recommends itself. */
  public static ItemItemModel coOccurrence(double[] binaryGram, int n) {
    checkSquare(binaryGram, n);
    float[] c = new float[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        c[i * n + j] = i == j ? 0f : (float) binaryGram[i * n + j];
      }
    }
    return new ItemItemModel(n, c);
  }

  /**
   * RP3beta (Paudel et al. 2017, "Updatable, accurate, diverse, and scalable recommendations for interactive
   * applications"): the probability of a three-step random walk item → user → item on the binary
   * interactions, each step's probability raised to {@code alpha}, divided by the popularity of the item
   * reached raised to {@code beta}, keeping the {@code neighbours} largest weights of each row:
   * W[i][j] = deg(j)^−β · Σ over users u of both i and j of (1/deg(i))^α (1/deg(u))^α, with W[i][i] = 0.
   *
   * @param alpha sharpens (above 1) or flattens (below 1) the walk's probabilities; 1 is the plain walk
   * @param beta how strongly popular titles are pushed down; 0 leaves them
   * @param neighbours weights kept per row (at least 1; all of a row when it has fewer)
   */
  public static ItemItemModel rp3beta(InteractionMatrix interactions, double alpha, double beta, int neighbours) {
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("alpha must be finite and > 0, got " + alpha);
    }
    if (!(beta >= 0) || Double.isInfinite(beta)) {
      throw new IllegalArgumentException("beta must be finite and >= 0, got " + beta);
    }
    if (neighbours < 1) {
      throw new IllegalArgumentException("neighbours must be at least 1, got " + neighbours);
    }
    int n = interactions.items();
    if ((long) n * n > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("a dense " + n + "x" + n + " item-item matrix does not fit in one array");
    }
    // Σ over users of both items of (1/deg(u))^α: the co-occurrence counts, each user weighted.
    double[] walks = new double[n * n];
    for (int u = 0; u < interactions.users(); u++) {
      int[] items = interactions.itemsOf(u);
      double w = Math.pow(items.length, -alpha);
      for (int a = 0; a < items.length; a++) {
        int row = items[a] * n;
        for (int b = a + 1; b < items.length; b++) {
          walks[row + items[b]] += w;
        }
      }
    }
    long[] degree = interactions.itemUserCounts();
    double[] from = new double[n];
    double[] to = new double[n];
    for (int i = 0; i < n; i++) {
      from[i] = Math.pow(degree[i], -alpha);
      to[i] = Math.pow(degree[i], -beta);
    }
    float[] w = new float[n * n];
    double[] row = new double[n];
    java.util.BitSet self = new java.util.BitSet(n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        // Only the upper triangle was filled: the walk's counts are symmetric.
        double both = i < j ? walks[i * n + j] : walks[j * n + i];
        row[j] = i == j ? 0 : from[i] * both * to[j];
      }
      self.clear();
      self.set(i);
      for (int j : TopK.select(row, neighbours, self)) {
        w[i * n + j] = (float) row[j];
      }
    }
    return new ItemItemModel(n, w);
  }

  /** Number of items. */
  public int size() {
    return n;
  }

  /** Scores of every item for a user with these items and weights (the caller passes weights; binary models pass 1s). */
  public double[] score(int[] items, double[] weights) {
    if (items.length != weights.length) {
      throw new IllegalArgumentException(
          "items and weights differ in length: " + items.length + " and " + weights.length);
    }
    double[] scores = new double[n];
    for (int k = 0; k < items.length; k++) {
      int row = items[k] * n;
      double w = weights[k];
      for (int j = 0; j < n; j++) {
        scores[j] += w * this.weights[row + j];
      }
    }
    return scores;
  }

  private static void checkSquare(double[] matrix, int n) {
    if (n <= 0 || (long) n * n != matrix.length) {
      throw new IllegalArgumentException("expected a " + n + "x" + n + " matrix (" + (long) n * n
          + " values), got " + matrix.length + " values");
    }
  }
}
