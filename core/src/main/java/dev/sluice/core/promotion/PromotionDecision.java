package dev.sluice.core.promotion;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The verdict of the promotion gates: every gate with its outcome, so a refusal can name every
 * reason at once, and the soak arithmetic for display and for the promotion tag.
 *
 * @param candidate the candidate tag, null when there is none
 * @param soakRequired the soak the candidate needs
 * @param soakServed how long the candidate has soaked so far (never negative)
 * @param soakRemaining how much soak is left (zero once served)
 * @param soakEndsAt when the soak is over, null without a candidate
 * @param overrideReason the operator's reason when the soak gate was overridden, else null
 * @param gates every gate that was evaluated, in a fixed order
 */
@JsonPropertyOrder({
  "allowed",
  "candidate",
  "soakRequired",
  "soakServed",
  "soakRemaining",
  "soakEndsAt",
  "overrideReason",
  "gates",
  "failures"
})
public record PromotionDecision(
    String candidate,
    @JsonFormat(shape = JsonFormat.Shape.STRING) Duration soakRequired,
    @JsonFormat(shape = JsonFormat.Shape.STRING) Duration soakServed,
    @JsonFormat(shape = JsonFormat.Shape.STRING) Duration soakRemaining,
    Instant soakEndsAt,
    String overrideReason,
    List<GateResult> gates) {

  public PromotionDecision {
    Objects.requireNonNull(soakRequired, "soakRequired");
    Objects.requireNonNull(soakServed, "soakServed");
    Objects.requireNonNull(soakRemaining, "soakRemaining");
    gates = List.copyOf(gates);
    if (gates.isEmpty()) {
      throw new IllegalArgumentException("a decision needs at least one gate");
    }
  }

  /** Whether every gate passed (or was overridden): the promotion may go ahead. */
  @JsonProperty("allowed")
  public boolean allowed() {
    return gates.stream().noneMatch(GateResult::failed);
  }

  /** The gates that refused, in gate order. Empty when {@link #allowed()}. */
  @JsonProperty("failures")
  public List<GateResult> failures() {
    return gates.stream().filter(GateResult::failed).toList();
  }

  /** Whether the soak gate was overridden by an operator. */
  public boolean soakOverridden() {
    return gates.stream()
        .anyMatch(g -> g.gate() == Gate.SOAK && g.outcome() == GateResult.Outcome.OVERRIDDEN);
  }
}
