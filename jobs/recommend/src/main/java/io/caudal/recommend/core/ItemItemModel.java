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
