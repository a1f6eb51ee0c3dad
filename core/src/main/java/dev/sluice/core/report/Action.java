package dev.sluice.core.report;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a node-updater run did, as reported in {@code action}. */
public enum Action {
  UPDATED("updated"),
  UNCHANGED("unchanged"),
  HELD("held"),
  OFFLINE("offline"),
  ROLLED_BACK("rolled-back"),
  FAILED("failed");

  private final String id;

  Action(String id) {
    this.id = id;
  }

  @JsonValue
  public String id() {
    return id;
  }

  @JsonCreator
  public static Action parse(String text) {
    for (Action action : values()) {
      if (action.id.equals(text)) {
        return action;
      }
    }
    throw new IllegalArgumentException("unknown action '" + text + "'");
  }

  @Override
  public String toString() {
    return id;
  }
}
