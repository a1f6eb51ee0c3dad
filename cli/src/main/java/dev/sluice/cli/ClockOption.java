package dev.sluice.cli;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.TypeConversionException;

/** {@code --now T}: a fixed clock for simulations and tests, before or after the subcommand. */
public final class ClockOption {

  @Option(
      names = "--now",
      scope = ScopeType.INHERIT,
      paramLabel = "T",
      converter = InstantConverter.class,
      description = "Pretend it is this ISO-8601 instant (e.g. 2026-11-21T07:00:00Z).")
  Instant now;

  /** The clock {@code --now} asks for, wherever on the command line it was given. */
  public static Clock clock(CommandSpec spec) {
    for (CommandSpec command = spec; command != null; command = command.parent()) {
      OptionSpec option = command.findOption("--now");
      if (option != null && option.getValue() != null) {
        return Clock.fixed((Instant) option.getValue(), ZoneOffset.UTC);
      }
    }
    return Clock.systemUTC();
  }

  /** An instant such as 2026-11-20T10:00:00Z, with a message that shows one when it is not. */
  public static final class InstantConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "'" + value + "' is not an ISO-8601 instant such as 2026-11-20T10:00:00Z");
      }
    }
  }
}
