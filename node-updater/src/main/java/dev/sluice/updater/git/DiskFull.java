package dev.sluice.updater.git;

import dev.sluice.core.git.GitException;

/** Tells a local storage failure (a full disk, a quota, a read-only mount) from anything else. */
public final class DiskFull {

  private DiskFull() {}

  /** True when {@code e} or one of its causes says the local disk refused a write. */
  public static boolean causes(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage();
      if (message != null && says(message)) {
        return true;
      }
    }
    return false;
  }

  /** True when the text is an operating system's or SQLite's "the disk is full". */
  public static boolean says(String message) {
    return message.contains("No space left on device")
        || message.contains("Disk quota exceeded")
        || message.contains("Read-only file system")
        || message.contains("SQLITE_FULL")
        || message.contains("database or disk is full");
  }

  /** The root message of a failure. */
  static String root(Throwable e) {
    return GitException.rootMessage(e);
  }
}
