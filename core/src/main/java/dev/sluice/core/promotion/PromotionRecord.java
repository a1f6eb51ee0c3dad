package dev.sluice.core.promotion;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a promotion recorded in its stable tag's message, as machine-readable trailers: the
 * candidate, the soak required and served, every gate and any override. {@link #tagMessage()}
 * writes it; {@link #parse(String)} reads it back for {@code history}.
 *
 * <pre>
 * Promote v5.2.0_pre to stable
 *
 * Sluice-Candidate: v5.2.0_pre
 * Sluice-Commit: 1f0c...
 * Sluice-Soak-Required: PT168H
 * Sluice-Soak-Served: PT170H
 * Sluice-Gate: soak passed: v5.2.0_pre has soaked 7d 2h of 7d
 * Sluice-Override: soak
 * Sluice-Override-Reason: security fix, approved by ops
 * </pre>
 */
@JsonPropertyOrder({"candidate", "commit", "soakRequired", "soakServed", "overrideReason", "gates"})
public record PromotionRecord(
    String candidate,
    String commit,
    @JsonFormat(shape = JsonFormat.Shape.STRING) Duration soakRequired,
    @JsonFormat(shape = JsonFormat.Shape.STRING) Duration soakServed,
    String overrideReason,
    List<GateResult> gates) {

  static final String CANDIDATE = "Sluice-Candidate";
  static final String COMMIT = "Sluice-Commit";
  static final String SOAK_REQUIRED = "Sluice-Soak-Required";
  static final String SOAK_SERVED = "Sluice-Soak-Served";
  static final String GATE = "Sluice-Gate";
  static final String OVERRIDE = "Sluice-Override";
  static final String OVERRIDE_REASON = "Sluice-Override-Reason";

  public PromotionRecord {
    Objects.requireNonNull(candidate, "candidate");
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(soakRequired, "soakRequired");
    Objects.requireNonNull(soakServed, "soakServed");
    gates = List.copyOf(gates);
  }

  /** The record of an allowed decision about a candidate commit. */
  public static PromotionRecord of(PromotionDecision decision, String commit) {
    if (!decision.allowed() || decision.candidate() == null) {
      throw new IllegalArgumentException("only an allowed promotion is recorded");
    }
    return new PromotionRecord(
        decision.candidate(),
        commit,
        decision.soakRequired(),
        decision.soakServed(),
        decision.overrideReason(),
        decision.gates());
  }

  /** The annotated tag message for the stable tag. */
  public String tagMessage() {
    Trailers trailers =
        new Trailers()
            .add(CANDIDATE, candidate)
            .add(COMMIT, commit)
            .add(SOAK_REQUIRED, soakRequired.toString())
            .add(SOAK_SERVED, soakServed.toString());
    for (GateResult gate : gates) {
      trailers.add(GATE, gate.gate().id() + " " + gate.outcome().id() + ": " + gate.text());
    }
    if (overrideReason != null) {
      trailers.add(OVERRIDE, Gate.SOAK.id()).add(OVERRIDE_REASON, overrideReason);
    }
    return trailers.format("Promote " + candidate + " to stable", null);
  }

  /** Reads a promotion back from a tag message; empty when the message is not one. */
  public static Optional<PromotionRecord> parse(String message) {
    Trailers trailers = Trailers.parse(message);
    Optional<String> candidate = trailers.first(CANDIDATE);
    Optional<String> commit = trailers.first(COMMIT);
    if (candidate.isEmpty() || commit.isEmpty()) {
      return Optional.empty();
    }
    try {
      Duration required = Duration.parse(trailers.first(SOAK_REQUIRED).orElse("PT0S"));
      Duration served = Duration.parse(trailers.first(SOAK_SERVED).orElse("PT0S"));
      List<GateResult> gates = new ArrayList<>();
      for (String line : trailers.all(GATE)) {
        parseGate(line).ifPresent(gates::add);
      }
      return Optional.of(
          new PromotionRecord(
              candidate.get(),
              commit.get(),
              required,
              served,
              trailers.first(OVERRIDE_REASON).orElse(null),
              gates));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Optional<GateResult> parseGate(String line) {
    int space = line.indexOf(' ');
    int colon = line.indexOf(": ");
    if (space < 0 || colon < space) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new GateResult(
              Gate.parse(line.substring(0, space)),
              GateResult.Outcome.parse(line.substring(space + 1, colon)),
              line.substring(colon + 2)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
