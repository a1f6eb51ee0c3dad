package dev.sluice.core.rollout;

import dev.sluice.core.report.NodeReport;
import java.time.Instant;
import java.util.Objects;

/**
 * Why a node is held, or a note on why it moves where it does: a stable machine-readable code, a
 * text for people, and when a hold may lift by itself (null when it waits for a person or a new
 * commit).
 */
public record Reason(String code, String text, Instant retryAt) {

  /** Hold: the channel is paused. */
  public static final String PAUSED = "paused";

  /** Hold: the node id or one of its groups is frozen. */
  public static final String FROZEN = "frozen";

  /** Hold: the commit the node would move onto is a dead-end. */
  public static final String DEADEND_TARGET = "deadend-target";

  /** Hold: the phased rollout has not reached this node's ticket yet. */
  public static final String PHASED_ROLLOUT = "phased-rollout";

  /** Hold: no maintenance window is open. */
  public static final String MAINTENANCE_WINDOW = "maintenance-window";

  /** Hold: the commit failed {@code maxAttempts} times on this node. */
  public static final String MAX_ATTEMPTS = "max-attempts";

  /**
   * Hold: the channel's target is not a descendant of the commit the node runs, and they share
   * history (a force-push to an older commit, a rewritten branch).
   */
  public static final String DOWNGRADE = "downgrade";

  /** Hold: the channel's target shares no history with the commit the node runs. */
  public static final String UNRELATED_HISTORY = "unrelated-history";

  /**
   * Hold: the node left preprod and runs a commit stable has not reached yet; it stays until stable
   * reaches it or moves past it.
   */
  public static final String LEAVING_PREPROD = "leaving-preprod";

  /** Move note: the node goes to a barrier first. */
  public static final String BARRIER = "barrier";

  /** Move note: the node leaves a dead-end, whatever pause, rollout or window say. */
  public static final String DEADEND_ESCAPE = "deadend-escape";

  /** Move note: nothing is installed, so the node installs its channel's target. */
  public static final String FIRST_INSTALL = "first-install";

  /**
   * The target carries no valid signature by a key of the node's trust file (held before any
   * change, not a policy decision).
   */
  public static final String UNTRUSTED = "untrusted";

  public Reason {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(text, "text");
  }

  /** The {@code reason} object of a node report ({@code run --json}): code and text. */
  public NodeReport.Reason toReport() {
    return new NodeReport.Reason(code, text);
  }
}
