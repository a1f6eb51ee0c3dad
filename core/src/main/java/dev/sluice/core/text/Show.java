package dev.sluice.core.text;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.eclipse.jgit.lib.AnyObjectId;

/** How commit ids and times are shown to people and in names the programs make. */
public final class Show {

  /** How many hex digits of a commit id people see. */
  public static final int COMMIT_DIGITS = 10;

  /** A compact UTC time for names (saved-work refs, moved-aside files): 20261121T070000Z. */
  public static final DateTimeFormatter COMPACT_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Show() {}

  /** A commit id as people see it: its first {@value #COMMIT_DIGITS} hex digits. */
  public static String commit(AnyObjectId id) {
    return id.abbreviate(COMMIT_DIGITS).name();
  }

  /** A commit id given as text (as in reports), shortened the same way. */
  public static String commit(String id) {
    return id.length() > COMMIT_DIGITS ? id.substring(0, COMMIT_DIGITS) : id;
  }
}
