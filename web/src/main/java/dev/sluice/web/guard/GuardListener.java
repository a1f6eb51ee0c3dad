package dev.sluice.web.guard;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.guard.GuardTrip;
import dev.sluice.core.guard.GuardVerdict;
import dev.sluice.core.policy.Policy;

/** Who hears what the guard sees at each check (the notifications). */
public interface GuardListener {

  /** Hears nothing. */
  GuardListener NONE = new GuardListener() {};

  /** The remote as read at a check, and again after each trip the guard pushed. */
  default void state(RemoteState state) {}

  /** A channel's verdict at a check. */
  default void verdict(Channel channel, String label, GuardVerdict verdict) {}

  /**
   * This fleet-web pushed a trip as {@code policyCommit}; {@code before} is the policy it edited.
   */
  default void tripped(GuardTrip trip, Policy before, String policyCommit) {}
}
