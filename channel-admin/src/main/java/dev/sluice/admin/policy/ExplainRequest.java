package dev.sluice.admin.policy;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.lottery.LotteryRules;
import java.util.List;
import java.util.Objects;

/**
 * The facts of a hypothetical node for {@code explain}.
 *
 * @param nodeId the node id (matters for {@code frozen})
 * @param ticket the node's lottery ticket in [0,1)
 * @param groups the node's groups
 * @param current the commit (or tag, ref) the node runs, or null for a node with nothing installed
 * @param channel the channel, or null to decide it by the lottery as a node would
 */
public record ExplainRequest(
    String nodeId, double ticket, List<String> groups, String current, Channel channel) {

  public ExplainRequest {
    Objects.requireNonNull(nodeId, "nodeId");
    LotteryRules.requireTicket(ticket);
    groups = List.copyOf(groups);
  }
}
