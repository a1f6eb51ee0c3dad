package dev.sluice.core.policy;

import java.util.List;
import java.util.Objects;

/**
 * A policy document that cannot be used, with every problem found in it. Each message starts with
 * the path of the field it is about ({@code rollouts[0].duration: "48h" is not an ISO-8601
 * duration, e.g. PT48H}).
 */
public class PolicyValidationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String source;
  private final transient List<String> errors;

  /**
   * @param source what was read, e.g. {@code channels.json} or {@code channels.json at
   *     rollout-policy 1a2b3c4}
   * @param errors every problem found, at least one
   */
  public PolicyValidationException(String source, List<String> errors) {
    super(message(source, errors));
    this.source = Objects.requireNonNull(source, "source");
    this.errors = List.copyOf(errors);
  }

  /** What was read. */
  public String source() {
    return source;
  }

  /** Every problem, one line each, each starting with a field path. */
  public List<String> errors() {
    return errors;
  }

  private static String message(String source, List<String> errors) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a validation failure needs at least one error");
    }
    if (errors.size() == 1) {
      return source + " is invalid: " + errors.get(0);
    }
    return source + " is invalid (" + errors.size() + " errors): " + String.join("; ", errors);
  }
}
