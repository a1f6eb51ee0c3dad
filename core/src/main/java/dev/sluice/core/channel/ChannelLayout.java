package dev.sluice.core.channel;

import java.util.Objects;

/** Where both channels live in git. */
public record ChannelLayout(ChannelSpec stable, ChannelSpec preprod) {

  public static final ChannelLayout DEFAULT =
      new ChannelLayout(
          ChannelSpec.defaultFor(Channel.STABLE), ChannelSpec.defaultFor(Channel.PREPROD));

  public ChannelLayout {
    Objects.requireNonNull(stable, "stable");
    Objects.requireNonNull(preprod, "preprod");
    if (stable.branch().equals(preprod.branch())) {
      throw new IllegalArgumentException(
          "stable and preprod cannot share the branch '" + stable.branch() + "'");
    }
  }

  public ChannelSpec spec(Channel channel) {
    return channel == Channel.STABLE ? stable : preprod;
  }
}
