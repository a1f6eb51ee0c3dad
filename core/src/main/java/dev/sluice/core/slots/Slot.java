package dev.sluice.core.slots;

import java.time.Instant;
import java.util.Objects;

/**
 * One update slot: a node allowed to move, until it gives the slot back or the slot expires.
 *
 * @param lockGroup the lock group the slot counts against (a group or channel name)
 * @param holder the node id (FleetLock {@code client_params.id})
 * @param grantedAt when it was first granted (a renewal keeps it)
 * @param expiresAt when it stops counting if not given back (a renewal moves it)
 */
public record Slot(String lockGroup, String holder, Instant grantedAt, Instant expiresAt) {

  public Slot {
    Objects.requireNonNull(lockGroup, "lockGroup");
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(grantedAt, "grantedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** True when the slot no longer counts at {@code now}. */
  public boolean expiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }
}
