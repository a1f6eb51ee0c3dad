package dev.sluice.updater.lottery;

import dev.sluice.core.channel.Channel;
import java.time.Instant;
import java.util.Objects;

/**
 * The node's ticket and the channel it gives, after any override.
 *
 * @param ticket the stored ticket in [0,1)
 * @param drawnAt when the ticket was drawn
 * @param nextDrawAt when it will be redrawn
 * @param freshlyDrawn whether this run drew it
 * @param weight the weight the ticket is compared against
 * @param weightSource where the weight came from (default probability, group NAME)
 * @param channel the channel the node rides
 * @param reason one line saying why
 * @param warning something the operator should know about the ticket (a ticket drawn in the future
 *     was replaced), or null
 */
public record LotteryResult(
    double ticket,
    Instant drawnAt,
    Instant nextDrawAt,
    boolean freshlyDrawn,
    double weight,
    String weightSource,
    Channel channel,
    String reason,
    String warning) {

  public LotteryResult {
    Objects.requireNonNull(drawnAt, "drawnAt");
    Objects.requireNonNull(nextDrawAt, "nextDrawAt");
    Objects.requireNonNull(weightSource, "weightSource");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(reason, "reason");
  }
}
