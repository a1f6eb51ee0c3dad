package dev.sluice.admin.cli;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code --now}: the clock for soak and tag times, for simulation and tests. */
final class ClockOption {

  @Option(
      names = "--now",
      paramLabel = "T",
      scope = ScopeType.INHERIT,
      converter = Converters.InstantConverter.class,
      description = "Pretend it is this ISO-8601 instant, e.g. 2026-11-20T10:00:00Z.")
  Instant now;

  Clock clock() {
    return now == null ? Clock.systemUTC() : Clock.fixed(now, ZoneOffset.UTC);
  }
}
