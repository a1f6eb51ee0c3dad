package dev.sluice.core.channel;

import java.util.Locale;

/** The two release channels a node can ride. */
public enum Channel {
  STABLE("stable"),
  PREPROD("preprod");

  private final String id;

  Channel(String id) {
    this.id = id;
  }

  /** The lower-case name used in flags, JSON and the policy file. */
  public String id() {
    return id;
  }

  /**
   * Parses a channel name as written by users ({@code stable} or {@code preprod}).
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static Channel parse(String text) {
    String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    for (Channel channel : values()) {
      if (channel.id.equals(wanted)) {
        return channel;
      }
    }
    throw new IllegalArgumentException(
        "unknown channel '" + text + "': expected 'stable' or 'preprod'");
  }

  /** The channel with this id, or empty (a stored value from another version). */
  public static java.util.Optional<Channel> find(String id) {
    for (Channel channel : values()) {
      if (channel.id.equals(id)) {
        return java.util.Optional.of(channel);
      }
    }
    return java.util.Optional.empty();
  }

  @Override
  public String toString() {
    return id;
  }
}
