package dev.sluice.updater.cli;

import dev.sluice.core.git.GitException;
import dev.sluice.core.git.GitIsolation;
import dev.sluice.core.git.RemoteUrls;
import dev.sluice.updater.run.ExitCodes;
import dev.sluice.updater.state.StateException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

/** {@code node-updater}: keeps one node on its release channel. */
@Command(
    name = "node-updater",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersion.class,
    description = "Keeps this node on its release channel: lottery, fetch, checkout, verify.",
    subcommands = {
      RunCommand.class,
      StatusCommand.class,
      SavedCommand.class,
      ServeCommand.class,
      SimulateCommand.class,
      AutoComplete.GenerateCompletion.class,
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the node runs its target, or was held by policy",
      "2:bad usage or configuration (also: state file in use by another run)",
      "10:remote unreachable, nothing changed",
      "11:update failed and the previous commit was restored",
      "12:update failed and could not be restored (needs a person)",
    })
public final class NodeUpdaterMain {

  @Mixin OutputOptions output;

  @Mixin ClockOption clock;

  /** The environment the commands read (tokens); passed in so tests need no real one. */
  private final Map<String, String> env;

  private NodeUpdaterMain(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public static void main(String[] args) {
    List<String> words = Arrays.asList(args);
    // A simulated fleet would log every node's every step; keep it to warnings unless asked.
    Logging.configure(words.contains("--verbose"), !words.contains("simulate"));
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(out, err, args));
  }

  /** Runs the command line against the given streams and returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return run(out, err, System.getenv(), args);
  }

  /** Runs the command line with the given environment (e.g. {@code SLUICE_GIT_TOKEN}). */
  public static int run(PrintWriter out, PrintWriter err, Map<String, String> env, String... args) {
    GitIsolation.install();
    CommandLine cli = new CommandLine(new NodeUpdaterMain(env));
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(NodeUpdaterMain::exitCodeFor);
    CommandLine.IParameterExceptionHandler usage = cli.getParameterExceptionHandler();
    cli.setParameterExceptionHandler(
        (e, words) -> {
          String fromConfig = ConfigDefaults.explain(e);
          if (fromConfig == null) {
            return usage.handleParseException(e, words);
          }
          e.getCommandLine().getErr().println("node-updater: " + oneLine(fromConfig));
          e.getCommandLine().getErr().flush();
          return ExitCodes.USAGE;
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          boolean verbose =
              Arrays.asList(parseResult.originalArgs().toArray(new String[0]))
                  .contains("--verbose");
          commandLine.getErr().println("node-updater: " + oneLine(e));
          if (verbose) {
            e.printStackTrace(commandLine.getErr());
          }
          commandLine.getErr().flush();
          return exitCodeFor(e);
        });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** The environment the command line was run with. */
  static Map<String, String> env(CommandSpec spec) {
    return ((NodeUpdaterMain) spec.root().userObject()).env;
  }

  static int exitCodeFor(Throwable e) {
    if (e instanceof StateException
        || e instanceof GitException
        || e instanceof IllegalArgumentException
        || e instanceof CommandLine.ParameterException) {
      return ExitCodes.USAGE;
    }
    return ExitCodes.BROKEN;
  }

  private static String oneLine(Throwable e) {
    String message = e.getMessage();
    return oneLine(message == null || message.isBlank() ? e.getClass().getSimpleName() : message);
  }

  private static String oneLine(String message) {
    return RemoteUrls.redactIn(message.strip().replaceAll("\\s+", " "));
  }
}
