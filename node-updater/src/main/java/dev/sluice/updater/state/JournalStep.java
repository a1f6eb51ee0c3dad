package dev.sluice.updater.state;

/**
 * The steps of applying a change, in order. A journal whose last step is not {@link #isAtRest() at
 * rest} belongs to a run that died, and the next run recovers it before anything else.
 */
public enum JournalStep {
  /** The intent (from, to) is recorded; nothing on disk has changed yet. */
  INTENT,
  /** Local changes are saved (or there were none). */
  SAVED,
  /** The working tree is at the new commit and verified. */
  CHECKED_OUT,
  /** The post-update hook succeeded. */
  HOOK_DONE,
  /** The restart command succeeded. */
  RESTARTED,
  /** The health check passed: the new commit is good. */
  HEALTHY,
  /** The change is complete. */
  DONE,
  /** The change failed; the previous commit is being put back. */
  RESTORING,
  /** The previous commit is back, its hook ran and it is healthy. */
  RESTORED,
  /** Putting the previous commit back failed too; the next run tries again. */
  RESTORE_FAILED,
  /** A first install died before completing; the next run installs from scratch. */
  ABANDONED;

  /** True for the steps of undoing a change, which must go on even when they cannot be written. */
  public boolean isUndoing() {
    return this == RESTORING || this == RESTORED || this == RESTORE_FAILED || this == ABANDONED;
  }

  /** True when no recovery is needed. */
  public boolean isAtRest() {
    return this == DONE || this == RESTORED || this == ABANDONED;
  }
}
