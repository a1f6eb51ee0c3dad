package dev.sluice.admin.cli;

/** channel-admin's exit codes, as listed in {@code --help}. */
final class ExitCodes {

  /** Done (with {@code --dry-run}: would be done); also "already promoted". */
  static final int OK = 0;

  /** The command could not run: remote unreachable, git or cache error. */
  static final int FAILED = 1;

  /** Bad usage: unknown option, not a version, unknown ref. */
  static final int USAGE = 2;

  /** Refused by a gate (soak, fast-forward, pause, health, tag exists, not newer). */
  static final int REFUSED = 3;

  /** The remote rejected the push: someone else moved a ref first; nothing was changed. */
  static final int REJECTED = 4;

  private ExitCodes() {}
}
