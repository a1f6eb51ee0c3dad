package dev.sluice.admin;

import java.util.List;

/**
 * Why a channel-admin command did not do what it was asked. Each kind maps to one exit code; the
 * message names the object and the cause in one line. Git failures (remote unreachable, broken
 * cache) arrive as core's {@link dev.sluice.core.git.GitException}.
 */
public abstract sealed class AdminException extends RuntimeException
    permits AdminException.Usage, AdminException.Refused, AdminException.PushRejected {

  private static final long serialVersionUID = 1L;

  private AdminException(String message) {
    super(message);
  }

  /** The request itself is wrong (not a version, unknown ref, conflicting options). */
  public static final class Usage extends AdminException {
    private static final long serialVersionUID = 1L;

    public Usage(String message) {
      super(message);
    }
  }

  /** A gate refused the change; {@link #reasons()} lists every reason, one line each. */
  public static final class Refused extends AdminException {
    private static final long serialVersionUID = 1L;

    private final List<String> reasons;

    public Refused(String message, List<String> reasons) {
      super(message);
      this.reasons = List.copyOf(reasons);
    }

    public List<String> reasons() {
      return reasons;
    }
  }

  /** The remote rejected the push (someone else moved a ref first); nothing was changed. */
  public static final class PushRejected extends AdminException {
    private static final long serialVersionUID = 1L;

    public PushRejected(String message) {
      super(message);
    }
  }
}
