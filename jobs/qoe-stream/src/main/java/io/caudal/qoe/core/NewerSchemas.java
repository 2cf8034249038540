package io.caudal.qoe.core;

import java.io.Serializable;

/**
 * Where versions of the input contracts released after this job was built are found (a producer
 * upgraded before the job writes with one): the validator asks it to learn them when it meets a
 * fingerprint it does not know, and reads the record again.
 */
@FunctionalInterface
public interface NewerSchemas extends Serializable {
  /** Learns the versions not known yet; whether any was learnt. */
  boolean learnNew();
}
