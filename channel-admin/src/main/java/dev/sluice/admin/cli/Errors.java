package dev.sluice.admin.cli;

import dev.sluice.admin.AdminException;
import dev.sluice.core.git.GitException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failed command into its exit code and one clear line on stderr (plus one line per reason
 * for a refusal); a stack trace only with {@code --verbose}.
 */
final class Errors implements IExitCodeExceptionMapper, IExecutionExceptionHandler {

  @Override
  public int getExitCode(Throwable error) {
    if (error instanceof AdminException.Usage || error instanceof CommandLine.ParameterException) {
      return ExitCodes.USAGE;
    }
    if (error instanceof AdminException.Refused) {
      return ExitCodes.REFUSED;
    }
    if (error instanceof AdminException.PushRejected) {
      return ExitCodes.REJECTED;
    }
    if (error instanceof GitException git) {
      return switch (git.kind()) {
        case REJECTED -> ExitCodes.REJECTED;
        case INVALID_REMOTE -> ExitCodes.USAGE;
        default -> ExitCodes.FAILED;
      };
    }
    return ExitCodes.FAILED;
  }

  @Override
  public int handleExecutionException(
      Exception error, CommandLine commandLine, ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    String message = error.getMessage();
    if (message == null
        || message.isBlank()
        || !(error instanceof AdminException || error instanceof GitException)) {
      message = error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
    err.println("channel-admin: " + message);
    if (error instanceof AdminException.Refused refused) {
      refused.reasons().forEach(reason -> err.println("  - " + reason));
    }
    if (verbose(commandLine)) {
      error.printStackTrace(err);
    }
    err.flush();
    return getExitCode(error);
  }

  private static boolean verbose(CommandLine commandLine) {
    Object root = commandLine.getCommandSpec().root().userObject();
    return root instanceof ChannelAdminCommand command && command.output.verbose;
  }
}
