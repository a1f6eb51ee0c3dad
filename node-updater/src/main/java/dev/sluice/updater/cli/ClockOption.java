package dev.sluice.updater.cli;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
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

  Clock clock() {
    return now == null ? Clock.systemUTC() : Clock.fixed(now, ZoneOffset.UTC);
  }
}
