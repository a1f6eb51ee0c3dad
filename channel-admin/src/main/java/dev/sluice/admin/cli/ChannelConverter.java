package dev.sluice.admin.cli;

import dev.sluice.core.channel.Channel;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code stable} or {@code preprod}, with a message naming both. */
final class ChannelConverter implements ITypeConverter<Channel> {
  @Override
  public Channel convert(String value) {
    try {
      return Channel.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
