package dev.sluice.core.git;

/**
 * A git operation that failed, with a message that names the remote or ref involved and a {@link
 * Kind} that callers turn into an outcome (offline, bad configuration, rejected push, ...).
 */
public class GitException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What went wrong, as far as a caller needs to decide what to do about it. */
  public enum Kind {
    /** The remote could not be reached or read (network, missing repository). */
    UNREACHABLE,
    /**
     * The remote was reached but refused us: credentials or ssh key rejected, or its ssh host key
     * is unknown or changed. A configuration error, not the network.
     */
    ACCESS_DENIED,
    /** The remote URL is not a valid remote. */
    INVALID_REMOTE,
    /** A branch, tag or commit that was asked for does not exist. */
    MISSING_REF,
    /** The remote refused a push (someone else moved the ref first). */
    REJECTED,
    /** The local repository is damaged. */
    CORRUPT,
    /**
     * The remote was reached but the fetch failed there: no repository at that address, a refused
     * login, a protocol error, a pack that does not parse or objects that are missing.
     */
    PROTOCOL,
    /**
     * The node's configuration cannot work: a work tree that is not a repository, a branch that
     * names a tree instead of a commit, a host key that is not trusted.
     */
    CONFIG,
    /** Anything else. */
    OTHER
  }

  private final Kind kind;

  public GitException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public GitException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** The innermost cause's message on one line: what to show after "cannot fetch X: ". */
  public static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    if (message == null || message.isBlank()) {
      message = root.getClass().getSimpleName();
    }
    return message.strip().replaceAll("\\s+", " ");
  }
}
