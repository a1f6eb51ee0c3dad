package dev.sluice.updater.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code --json} and {@code --verbose}, accepted before or after the subcommand. */
public final class OutputOptions {

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "Print the result as one JSON object.")
  boolean json;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Log every step and print stack traces of errors.")
  boolean verbose;
}
