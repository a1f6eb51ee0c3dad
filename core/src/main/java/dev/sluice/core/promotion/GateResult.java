package dev.sluice.core.promotion;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Objects;

/**
 * How one gate judged a promotion: passed, failed, or failed but overridden by an operator, with a
 * one-line text for people and a stable {@link #code()} for scripts.
 */
@JsonPropertyOrder({"gate", "outcome", "code", "text"})
public record GateResult(Gate gate, Outcome outcome, String text) {

  /** The verdict of a gate. */
  public enum Outcome {
    PASSED,
    FAILED,
    /** The gate failed, but an operator overrode it with a recorded reason. */
    OVERRIDDEN;

    @JsonValue
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Outcome parse(String id) {
      return valueOf(id.trim().toUpperCase(Locale.ROOT));
    }
  }

  public GateResult {
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(text, "text");
    if (text.isBlank() || text.contains("\n")) {
      throw new IllegalArgumentException("gate text must be one non-empty line: '" + text + "'");
    }
  }

  static GateResult passed(Gate gate, String text) {
    return new GateResult(gate, Outcome.PASSED, text);
  }

  static GateResult failed(Gate gate, String text) {
    return new GateResult(gate, Outcome.FAILED, text);
  }

  /** The gate's failure code when it failed, otherwise the gate's id. */
  @JsonProperty("code")
  public String code() {
    return outcome == Outcome.FAILED ? gate.failureCode() : gate.id();
  }

  public boolean failed() {
    return outcome == Outcome.FAILED;
  }
}
