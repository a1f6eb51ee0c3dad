package dev.sluice.admin.cli;

import dev.sluice.admin.AdminException;
import dev.sluice.core.git.GitException;
import dev.sluice.core.policy.PolicyValidationException;
import java.util.List;

/**
 * channel-admin's failures: their exit codes, their one line on stderr, and the reasons listed
 * under a refusal or an invalid policy (printed by {@link dev.sluice.cli.Errors}).
 */
final class Errors {

  private Errors() {}

  static dev.sluice.cli.Errors handler() {
    return new dev.sluice.cli.Errors(
        "channel-admin", Errors::exitCode, Errors::headline, Errors::details);
  }

  static int exitCode(Throwable error) {
    if (error instanceof AdminException.Usage
        || error instanceof PolicyValidationException
        || error instanceof picocli.CommandLine.ParameterException) {
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

  /** Our own failures by their message; anything else also by its type, which says more. */
  private static String headline(Throwable error) {
    if (error instanceof PolicyValidationException invalid) {
      return invalid.source() + " is invalid:";
    }
    String message = error.getMessage();
    if (message == null
        || message.isBlank()
        || !(error instanceof AdminException || error instanceof GitException)) {
      return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
    return message;
  }

  private static List<String> details(Throwable error) {
    if (error instanceof PolicyValidationException invalid) {
      return invalid.errors();
    }
    if (error instanceof AdminException.Refused refused) {
      return refused.reasons();
    }
    return List.of();
  }
}
