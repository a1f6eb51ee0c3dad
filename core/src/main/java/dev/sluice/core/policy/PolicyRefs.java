package dev.sluice.core.policy;

import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Repository;

/**
 * What a policy may name as a ref: a tag name ({@code v5.1.0}), a full ref ({@code
 * refs/tags/v5.1.0}, {@code refs/heads/master}) or a commit id (7 to 40 hex digits).
 */
public final class PolicyRefs {

  private static final Pattern COMMIT_ID = Pattern.compile("[0-9a-f]{7,40}");

  private PolicyRefs() {}

  /** True when {@code ref} is one of the accepted forms, at most 255 characters long. */
  public static boolean isValid(String ref) {
    if (ref == null || ref.isBlank() || ref.length() > PolicyLimits.MAX_REF) {
      return false;
    }
    if (COMMIT_ID.matcher(ref).matches()) {
      return true;
    }
    if (ref.startsWith("refs/")) {
      return Repository.isValidRefName(ref);
    }
    return Repository.isValidRefName("refs/tags/" + ref);
  }

  /** What an accepted ref looks like, for messages. */
  public static String expected() {
    return "a tag name (v5.1.0), a full ref (refs/tags/v5.1.0) or a commit id";
  }

  static void require(String ref) {
    if (!isValid(ref)) {
      throw new IllegalArgumentException("'" + ref + "' is not " + expected());
    }
  }
}
