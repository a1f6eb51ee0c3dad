package dev.sluice.updater.cli;

import dev.sluice.cli.ClockOption;
import dev.sluice.cli.Errors;
import dev.sluice.cli.ManifestVersion;
import dev.sluice.cli.OutputOptions;
import dev.sluice.core.git.GitException;
import dev.sluice.core.git.GitIsolation;
import dev.sluice.updater.run.ExitCodes;
import dev.sluice.updater.state.StateException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
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

  /**
   * The subcommands, in the order help lists them. Only the one the command line names gets its
   * model built ({@link #subcommandsFor}): picocli reads a command's annotations reflectively, and
   * building all of them was a fifth of a no-op run's start.
   */
  private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

  private static Map<String, Supplier<Object>> subcommands() {
    Map<String, Supplier<Object>> all = new LinkedHashMap<>();
    all.put("run", RunCommand::new);
    all.put("status", StatusCommand::new);
    all.put("saved", SavedCommand::new);
    all.put("serve", ServeCommand::new);
    all.put("simulate", SimulateCommand::new);
    all.put("simulate-rollout", SimulateRolloutCommand::new);
    all.put("generate-completion", AutoComplete.GenerateCompletion::new);
    return Collections.unmodifiableMap(all);
  }

  /** The root's options that take a value: the word after them is not a subcommand. */
  private static final Set<String> ROOT_OPTIONS_WITH_VALUE = Set.of("--now");

  /** The environment the commands read (tokens); passed in so tests need no real one. */
  private final Map<String, String> env;

  private NodeUpdaterMain(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public static void main(String[] args) {
    List<String> words = Arrays.asList(args);
    // A simulated fleet would log every node's every step; keep it to warnings unless asked.
    Logging.configure(
        words.contains("--verbose") || words.contains("-v"), !words.contains("simulate"));
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
    for (String name : subcommandsFor(args)) {
      cli.addSubcommand(name, SUBCOMMANDS.get(name).get());
    }
    cli.setOut(out);
    cli.setErr(err);
    new Errors("node-updater", NodeUpdaterMain::exitCodeFor).install(cli);
    CommandLine.IParameterExceptionHandler usage = cli.getParameterExceptionHandler();
    cli.setParameterExceptionHandler(
        (e, words) -> {
          String fromConfig = ConfigDefaults.explain(e);
          if (fromConfig == null) {
            return usage.handleParseException(e, words);
          }
          e.getCommandLine().getErr().println("node-updater: " + Errors.oneLine(fromConfig));
          e.getCommandLine().getErr().flush();
          return ExitCodes.USAGE;
        });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /**
   * The subcommands to build for this command line: the one it names, or all of them when it names
   * none it knows (help, a typo to suggest a correction for) or asks for the completion script.
   */
  static List<String> subcommandsFor(String... args) {
    for (int i = 0; i < args.length; i++) {
      String word = args[i];
      if (ROOT_OPTIONS_WITH_VALUE.contains(word)) {
        i++;
      } else if (!word.startsWith("-")) {
        return SUBCOMMANDS.containsKey(word) && !word.equals("generate-completion")
            ? List.of(word)
            : List.copyOf(SUBCOMMANDS.keySet());
      }
    }
    return List.copyOf(SUBCOMMANDS.keySet());
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
}
