package dev.sluice.admin.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option value converters with messages that say what was expected. */
final class Converters {

  private Converters() {}

  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        Duration duration = Duration.parse(value);
        if (duration.isNegative()) {
          throw new TypeConversionException("'" + value + "' is negative");
        }
        return duration;
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "'" + value + "' is not an ISO-8601 duration such as P7D or PT36H");
      }
    }
  }
}
