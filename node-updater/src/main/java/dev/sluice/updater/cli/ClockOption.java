package dev.sluice.updater.cli;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code --now T}: a fixed clock for simulations and tests. */
public final class ClockOption {

  @Option(
      names = "--now",
      scope = ScopeType.INHERIT,
      paramLabel = "INSTANT",
      description = "Pretend it is this ISO-8601 instant (e.g. 2026-11-21T07:00:00Z).")
  Instant now;

  /** The clock {@code --now} asks for, wherever on the command line it was given. */
  static Clock clock(CommandSpec spec) {
    for (CommandSpec command = spec; command != null; command = command.parent()) {
      OptionSpec option = command.findOption("--now");
      if (option != null && option.getValue() != null) {
        return Clock.fixed((Instant) option.getValue(), ZoneOffset.UTC);
      }
    }
    return Clock.systemUTC();
  }
}
