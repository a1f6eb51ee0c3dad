package dev.sluice.admin.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code --json} and {@code --verbose}, accepted before or after the subcommand. */
final class OutputOptions {

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "Print the result as JSON for scripts.")
  boolean json;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Print stack traces with errors.")
  boolean verbose;
}
