package dev.sluice.admin.rollback;

import dev.sluice.admin.AdminException;
import dev.sluice.core.channel.Channel;
import java.util.Objects;

/**
 * A request to roll a channel back.
 *
 * @param channel the channel whose branch moves back
 * @param to the release to go back to ({@code v5.1.0}, {@code 5.1.0}, or for preprod {@code
 *     v5.1.0_pre}), or null for the previous release on the channel's branch
 * @param reason why, recorded in the dead-end, the policy commit and the rollback tag
 * @param dryRun decide and report, push nothing
 */
public record RollbackRequest(Channel channel, String to, String reason, boolean dryRun) {

  public RollbackRequest {
    Objects.requireNonNull(channel, "channel");
    if (reason == null || reason.isBlank()) {
      throw new AdminException.Usage("--reason TEXT is required: it is recorded with the dead-end");
    }
    reason = reason.strip();
    to = to == null || to.isBlank() ? null : to.strip();
  }
}
