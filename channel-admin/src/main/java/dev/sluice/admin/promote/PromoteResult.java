package dev.sluice.admin.promote;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.sluice.core.promotion.PromotionDecision;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@code promote} did.
 *
 * @param remote the remote
 * @param outcome promoted, would-promote (dry run), already-promoted or refused
 * @param candidate the candidate tag, null when there is none
 * @param stableTag the stable tag made (or that would be, or that already exists), else null
 * @param commit the candidate's commit, null when there is none
 * @param previousMaster where master pointed before
 * @param decision the gates' verdict (null when the candidate was already promoted)
 * @param message one line saying what happened
 */
@JsonPropertyOrder({
  "remote",
  "outcome",
  "candidate",
  "stableTag",
  "commit",
  "previousMaster",
  "message",
  "decision"
})
public record PromoteResult(
    String remote,
    Outcome outcome,
    String candidate,
    String stableTag,
    String commit,
    String previousMaster,
    PromotionDecision decision,
    String message) {

  /** What happened. */
  public enum Outcome {
    PROMOTED,
    WOULD_PROMOTE,
    ALREADY_PROMOTED,
    REFUSED;

    @JsonValue
    public String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  public PromoteResult {
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(message, "message");
  }
}
