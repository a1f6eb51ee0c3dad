package dev.sluice.cli;

import dev.sluice.core.git.RemoteUrls;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failed command into its exit code and one clear line on stderr, {@code PROGRAM: message}
 * (plus one indented line per detail a failure carries, e.g. the reasons of a refusal), with any
 * credentials in URLs redacted; a stack trace only with {@code --verbose}. Each program gives its
 * own mapping from failures to exit codes.
 */
public final class Errors implements IExitCodeExceptionMapper, IExecutionExceptionHandler {

  private final String program;
  private final ToIntFunction<Throwable> exitCodes;
  private final Function<Throwable, String> headline;
  private final Function<Throwable, List<String>> details;

  /**
   * @param program the name the error lines start with
   * @param exitCodes the exit code of each failure
   * @param headline a failure's message (made one line and redacted here)
   * @param details the lines to print under it (none for most failures)
   */
  public Errors(
      String program,
      ToIntFunction<Throwable> exitCodes,
      Function<Throwable, String> headline,
      Function<Throwable, List<String>> details) {
    this.program = program;
    this.exitCodes = exitCodes;
    this.headline = headline;
    this.details = details;
  }

  /** Failures shown by their message ({@link #oneLine(Throwable)}), with no detail lines. */
  public Errors(String program, ToIntFunction<Throwable> exitCodes) {
    this(program, exitCodes, Errors::oneLine, e -> List.of());
  }

  /** Sets this as the command line's exit-code mapper and execution-exception handler. */
  public CommandLine install(CommandLine cli) {
    return cli.setExitCodeExceptionMapper(this).setExecutionExceptionHandler(this);
  }

  @Override
  public int getExitCode(Throwable error) {
    return exitCodes.applyAsInt(error);
  }

  @Override
  public int handleExecutionException(
      Exception error, CommandLine commandLine, ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    err.println(program + ": " + oneLine(headline.apply(error)));
    for (String detail : details.apply(error)) {
      err.println("  - " + RemoteUrls.redactIn(detail));
    }
    if (OutputOptions.verbose(commandLine.getCommandSpec())) {
      error.printStackTrace(err);
    }
    err.flush();
    return getExitCode(error);
  }

  /** A failure's message on one line, credentials redacted; the type's name when it has none. */
  public static String oneLine(Throwable error) {
    String message = error.getMessage();
    return oneLine(
        message == null || message.isBlank() ? error.getClass().getSimpleName() : message);
  }

  /** A message on one line, credentials redacted. */
  public static String oneLine(String message) {
    return RemoteUrls.redactIn(message.strip().replaceAll("\\s+", " "));
  }
}
