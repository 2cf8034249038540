package io.caudal.recommend.core;

import java.io.Serializable;

/**
 * One model's offline results.
 *
 * @param rmse null when the model does not predict stars
 */
public record ModelMetrics(String model, double precision, double recall, double ndcg, double map,
    double coverage, double novelty, Double rmse, double trainSeconds, double scoreSeconds) implements Serializable {}
