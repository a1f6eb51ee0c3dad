package dev.sluice.core.channel;

import java.util.Locale;

/** What a channel follows: the tip of its branch, or its newest release tag. */
public enum Track {
  BRANCH,
  TAG;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Track parse(String text) {
    String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    for (Track track : values()) {
      if (track.id().equals(wanted)) {
        return track;
      }
    }
    throw new IllegalArgumentException("unknown track '" + text + "': expected 'branch' or 'tag'");
  }

  @Override
  public String toString() {
    return id();
  }
}
