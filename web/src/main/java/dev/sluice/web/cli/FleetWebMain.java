package dev.sluice.web.cli;

import dev.sluice.cli.Errors;
import dev.sluice.core.git.GitIsolation;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** {@code fleet-web}: the fleet dashboard server. */
public final class FleetWebMain {

  private FleetWebMain() {}

  public static void main(String[] args) {
    System.exit(
        run(
            new PrintWriter(System.out, true, StandardCharsets.UTF_8),
            new PrintWriter(System.err, true, StandardCharsets.UTF_8),
            args));
  }

  /** Parses {@code args}, runs the server until it is stopped, and returns the exit code. */
  static int run(PrintWriter out, PrintWriter err, String... args) {
    return run(out, err, FleetWebCommand.Stopper.untilShutdown(), args);
  }

  static int run(
      PrintWriter out, PrintWriter err, FleetWebCommand.Stopper stopper, String... args) {
    GitIsolation.install();
    FleetWebCommand command = new FleetWebCommand(out, stopper);
    return new Errors("fleet-web", FleetWebCommand::exitCodeOf)
        .install(new CommandLine(command))
        .setOut(out)
        .setErr(err)
        .execute(args);
  }
}
