package dev.sluice.updater.slots;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.git.RemoteUrls;
import dev.sluice.core.policy.UpdateLimits;
import dev.sluice.core.rollout.Reason;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's side of the update-rate limits: before a move, take a slot from fleet-web when the
 * rollout policy limits this node's lock group; after a healthy move, give it back. A slot that is
 * not given back (a failed update, a node that died, fleet-web down at the time) expires on the
 * server.
 *
 * <p>Moves that must never wait are exempt: leaving a dead-end (a channel rolled back) and a first
 * install (a node with nothing to run must come up).
 */
public final class UpdateSlots {

  /** The hold reason when no slot was had. */
  public static final String NO_SLOT = "no-slot";

  /** Moves that never ask for a slot. */
  static final Set<String> EXEMPT =
      Set.of(Reason.DEADEND_ESCAPE, Reason.FIRST_INSTALL, "deadend-fallback");

  private static final Logger LOG = LoggerFactory.getLogger(UpdateSlots.class);

  /** No slots are asked for: nodes move as the rest of the policy says. */
  public static final UpdateSlots NONE = new UpdateSlots(Optional.empty());

  /** What to do about the move. */
  public sealed interface Gate {}

  /** The node's lock group has no limit, or the move is exempt: move without a slot. */
  public record NotNeeded() implements Gate {}

  /** A slot was taken in this lock group: move, then give it back once healthy. */
  public record Taken(String lockGroup, String message) implements Gate {}

  /** fleet-web cannot be reached and the policy says proceed: move, with this warning. */
  public record Proceed(String warning) implements Gate {}

  /** No slot: hold with reason {@code no-slot}. */
  public record Held(String text) implements Gate {}

  private final Optional<FleetLockClient> client;

  /**
   * @param client fleet-web's FleetLock endpoints; empty when the node knows no fleet-web
   */
  public UpdateSlots(Optional<FleetLockClient> client) {
    this.client = client;
  }

  /**
   * Before a move.
   *
   * @param limits the rollout policy's update limits
   * @param channel the node's channel
   * @param groups the node's groups
   * @param node the node id (FleetLock {@code client_params.id})
   * @param reason the decision's note (null when none); exempt moves never ask
   */
  public Gate before(
      UpdateLimits limits, Channel channel, List<String> groups, String node, Reason reason) {
    if (reason != null && EXEMPT.contains(reason.code())) {
      return new NotNeeded();
    }
    String lockGroup = limits.lockGroupFor(channel, groups);
    if (limits.limitFor(lockGroup).isEmpty()) {
      return new NotNeeded();
    }
    FleetLockClient.Answer answer;
    try {
      answer =
          client
              .<FleetLockClient.Answer>map(c -> c.lock(node, lockGroup))
              .orElse(
                  new FleetLockClient.Unavailable(
                      "no fleet-web to ask (set --fleet-lock or --report-to)"));
    } catch (RuntimeException e) {
      answer = new FleetLockClient.Unavailable("asking for a slot failed: " + e);
    }
    if (answer instanceof FleetLockClient.Done done) {
      LOG.info("took an update slot in lock group '{}': {}", lockGroup, done.message());
      return new Taken(lockGroup, done.message());
    }
    if (answer instanceof FleetLockClient.NoSlot refused) {
      String text = "no update slot in lock group '" + lockGroup + "': " + refused.message();
      LOG.info("held: {}", text);
      return new Held(text);
    }
    String problem = RemoteUrls.redactIn(((FleetLockClient.Unavailable) answer).message());
    if (limits.onLockUnavailable() == UpdateLimits.OnLockUnavailable.PROCEED) {
      String warning =
          "moving without an update slot in lock group '"
              + lockGroup
              + "' (updateLimits.onLockUnavailable is proceed): "
              + problem;
      LOG.warn(warning);
      return new Proceed(warning);
    }
    String text =
        "no update slot in lock group '"
            + lockGroup
            + "': "
            + problem
            + " (updateLimits.onLockUnavailable is wait)";
    LOG.warn("held: {}", text);
    return new Held(text);
  }

  /**
   * After a healthy move, or none at all: gives a taken slot back. A failure only costs the slot's
   * expiry, so it is logged, not returned.
   */
  public void after(Gate gate, String node) {
    if (!(gate instanceof Taken taken) || client.isEmpty()) {
      return;
    }
    FleetLockClient.Answer answer = client.get().unlock(node, taken.lockGroup());
    if (answer instanceof FleetLockClient.Done) {
      LOG.info("gave the update slot in lock group '{}' back", taken.lockGroup());
    } else {
      LOG.warn(
          "could not give the update slot in lock group '{}' back (it expires by itself): {}",
          taken.lockGroup(),
          RemoteUrls.redactIn(answer.toString()));
    }
  }
}
