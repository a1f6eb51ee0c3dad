package dev.sluice.core.policy;

import java.util.Locale;

/** What a channel's guard does when it trips. */
public enum GuardAction {
  /** Pause the channel: its nodes stay where they are until {@code channel-admin resume}. */
  PAUSE("pause"),
  /**
   * Mark the failing commit a dead-end: nobody else takes it, and nodes on it move to the channel's
   * next target.
   */
  DEAD_END("dead-end"),
  /** Never trip. */
  OFF("off");

  private final String id;

  GuardAction(String id) {
    this.id = id;
  }

  /** The name in {@code channels.json}: {@code pause}, {@code dead-end} or {@code off}. */
  public String id() {
    return id;
  }

  /** The action named {@code text}, or null. */
  public static GuardAction of(String text) {
    for (GuardAction action : values()) {
      if (action.id.equals(text.toLowerCase(Locale.ROOT))) {
        return action;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return id;
  }
}
