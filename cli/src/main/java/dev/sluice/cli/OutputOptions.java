package dev.sluice.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code --json} and {@code --verbose}, accepted before or after the subcommand. */
public final class OutputOptions {

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "Print the result as JSON for scripts.")
  boolean json;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Log every step and print stack traces of errors.")
  boolean verbose;

  /**
   * Whether {@code --json} was given anywhere on the command line. Inherited options are set on the
   * command where they were written, so look at the command and all its parents.
   */
  public static boolean json(CommandSpec spec) {
    return flag(spec, "--json");
  }

  /** Whether {@code --verbose} was given anywhere on the command line. */
  public static boolean verbose(CommandSpec spec) {
    return flag(spec, "--verbose");
  }

  private static boolean flag(CommandSpec spec, String name) {
    for (CommandSpec command = spec; command != null; command = command.parent()) {
      OptionSpec option = command.findOption(name);
      if (option != null && Boolean.TRUE.equals(option.getValue())) {
        return true;
      }
    }
    return false;
  }
}
