package dev.sluice.updater.run;

/** The exit codes of {@code node-updater}, as listed in its {@code --help}. */
public final class ExitCodes {

  /** The node runs its target, or was held by policy. */
  public static final int OK = 0;

  /** Bad usage or configuration. */
  public static final int USAGE = 2;

  /** The remote is unreachable; nothing changed. */
  public static final int OFFLINE = 10;

  /** The update failed and the previous commit was restored. */
  public static final int ROLLED_BACK = 11;

  /** The update failed and could not be restored: needs a person. */
  public static final int BROKEN = 12;

  private ExitCodes() {}
}
