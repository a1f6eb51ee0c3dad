package dev.sluice.updater.run;

import dev.sluice.core.git.GitException;
import dev.sluice.core.report.Action;
import dev.sluice.core.report.NodeReport;
import dev.sluice.updater.state.StateException;
import java.util.Objects;

/**
 * Why a run ended early. Every phase of a run throws only this; {@link #action()} and {@link
 * #exitCode()} are the one mapping from a failure to what the run reports and returns.
 */
public final class RunFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** How bad it is, which decides the action and the exit code. */
  public enum Kind {
    /** The remote could not be reached: nothing changed (exit 10). */
    OFFLINE(Action.OFFLINE, ExitCodes.OFFLINE),
    /** The node's configuration is wrong (a workdir that is no repository, a missing ref). */
    CONFIG(Action.FAILED, ExitCodes.USAGE),
    /** The update failed before the working tree was touched; the node runs what it ran. */
    FAILED(Action.FAILED, ExitCodes.ROLLED_BACK),
    /** The update failed and the previous commit was restored. */
    ROLLED_BACK(Action.ROLLED_BACK, ExitCodes.ROLLED_BACK),
    /** The node is not known to run a good commit: a person must look. */
    BROKEN(Action.FAILED, ExitCodes.BROKEN);

    private final Action action;
    private final int exitCode;

    Kind(Action action, int exitCode) {
      this.action = action;
      this.exitCode = exitCode;
    }
  }

  private final Kind kind;
  private final String code;

  /**
   * @param kind how bad it is
   * @param code the stable reason code for scripts ({@code remote-unreachable}, ...)
   * @param message one line for people
   */
  public RunFailure(Kind kind, String code, String message) {
    super(Objects.requireNonNull(message, "message"));
    this.kind = Objects.requireNonNull(kind, "kind");
    this.code = Objects.requireNonNull(code, "code");
  }

  /** A git failure during a phase, classified by what git said went wrong. */
  public static RunFailure of(GitException e) {
    return new RunFailure(kindOf(e.kind()), codeOf(e.kind()), e.getMessage());
  }

  /** A state file that cannot be written (a full disk): the run goes on without recording. */
  public static RunFailure of(StateException e) {
    return new RunFailure(Kind.FAILED, "state-unwritable", e.getMessage());
  }

  private static Kind kindOf(GitException.Kind kind) {
    return switch (kind) {
      case UNREACHABLE -> Kind.OFFLINE;
      case INVALID_REMOTE, MISSING_REF, CONFIG, ACCESS_DENIED -> Kind.CONFIG;
      case CORRUPT -> Kind.BROKEN;
      case REJECTED, PROTOCOL, OTHER -> Kind.FAILED;
    };
  }

  private static String codeOf(GitException.Kind kind) {
    return switch (kind) {
      case UNREACHABLE -> "remote-unreachable";
      case INVALID_REMOTE -> "invalid-remote";
      case MISSING_REF -> "missing-ref";
      case CONFIG -> "bad-config";
      case ACCESS_DENIED -> "remote-access-denied";
      case REJECTED -> "rejected";
      case CORRUPT -> "workdir-corrupt";
      case PROTOCOL -> "fetch-failed";
      case OTHER -> "update-failed";
    };
  }

  public Kind kind() {
    return kind;
  }

  public String code() {
    return code;
  }

  public Action action() {
    return kind.action;
  }

  public int exitCode() {
    return kind.exitCode;
  }

  /** The same failure with more said about what the node runs now. */
  public RunFailure withSuffix(String suffix) {
    return new RunFailure(kind, code, getMessage() + suffix);
  }

  public NodeReport.Reason reason() {
    return new NodeReport.Reason(code, getMessage());
  }
}
