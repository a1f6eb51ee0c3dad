package dev.sluice.core.promotion;

import java.util.Objects;

/** The health of the candidate could not be learned; the reason says why (one line). */
public record HealthUnavailable(String reason) implements HealthEvidence {

  public HealthUnavailable {
    Objects.requireNonNull(reason, "reason");
    reason = reason.strip().replaceAll("\\s+", " ");
  }
}
