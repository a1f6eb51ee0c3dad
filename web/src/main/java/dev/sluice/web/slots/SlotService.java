package dev.sluice.web.slots;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyWriter;
import dev.sluice.core.policy.UpdateLimits;
import dev.sluice.core.slots.Slot;
import dev.sluice.core.slots.SlotDecision;
import dev.sluice.web.fleet.SlotStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Update slots for the FleetLock endpoints: the rollout policy's limits (read from the remote) and
 * the slots in fleet-web's database, decided by core's slot rules. Every grant, renewal, release
 * and expiry is logged.
 */
public final class SlotService {

  private static final Logger LOG = LoggerFactory.getLogger(SlotService.class);

  /** fleet-web does not know the update limits: no {@code --remote}, or not read yet. */
  public static final class LimitsUnknown extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LimitsUnknown(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The slots held now, for {@code GET /api/slots}.
   *
   * @param at when this was read
   * @param limits the update limits in force as written in the policy, null when unknown
   * @param slots the live slots
   * @param grantedLastHour slots granted per lock group in the last hour
   */
  public record View(
      Instant at, JsonNode limits, List<Slot> slots, Map<String, Integer> grantedLastHour) {}

  private final SlotStore store;
  private final Supplier<Optional<UpdateLimits>> limits;
  private final Clock clock;

  /**
   * @param limits the rollout policy's update limits, empty while they are not known
   */
  public SlotService(SlotStore store, Supplier<Optional<UpdateLimits>> limits, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * A node asks for a slot in a lock group.
   *
   * @throws LimitsUnknown when the update limits are not known
   */
  public SlotDecision acquire(String lockGroup, String holder) {
    UpdateLimits known =
        limits
            .get()
            .orElseThrow(
                () ->
                    new LimitsUnknown(
                        "fleet-web does not know the update limits: start it with --remote URL"
                            + " (the repository whose rollout-policy holds them), or wait until"
                            + " it has read the policy"));
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    SlotDecision decision = store.acquire(known, lockGroup, holder, now);
    for (Slot expired : decision.expired()) {
      LOG.info(
          "slot of {} in lock group '{}' expired at {} without being given back",
          expired.holder(),
          lockGroup,
          expired.expiresAt());
    }
    switch (decision.outcome()) {
      case GRANTED, RENEWED -> LOG.info("{}: {}", holder, decision.message());
      default -> LOG.debug("{}: {}", holder, decision.message());
    }
    return decision;
  }

  /** A node gives its slot back; true when it held one. */
  public boolean release(String lockGroup, String holder) {
    boolean released = store.release(lockGroup, holder);
    if (released) {
      LOG.info("{} gave its slot in lock group '{}' back", holder, lockGroup);
    }
    return released;
  }

  /** The slots held now, without reading the remote. */
  public View view(Optional<UpdateLimits> knownLimits) {
    Instant now = clock.instant();
    JsonNode written =
        knownLimits
            .map(
                known ->
                    (JsonNode)
                        PolicyWriter.toTree(Policy.defaults().withUpdateLimits(known))
                            .get("updateLimits"))
            .orElse(null);
    return new View(now, written, store.held(now), store.grantedLastHour(now));
  }

  /** The slots held now and the limits in force. */
  public View view() {
    return view(limits.get());
  }
}
