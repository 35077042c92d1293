package org.prunekit.core.zoo;

/** Validation helpers shared by the configurations. */
final class ZooChecks {
  private ZooChecks() {}

  static void positive(String model, String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(model + ": " + what + " must be positive, got " + value);
    }
  }
}
