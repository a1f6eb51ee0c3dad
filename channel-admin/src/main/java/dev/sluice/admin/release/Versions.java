package dev.sluice.admin.release;

import com.github.zafarkhaja.semver.Version;
import dev.sluice.admin.AdminException;
import java.util.Optional;

/** Versions as operators type them: full semantic versions, of a length a tag name can carry. */
public final class Versions {

  /** The longest version accepted; a tag name must stay far below git's and filesystems' limits. */
  public static final int MAX_LENGTH = 64;

  private Versions() {}

  /**
   * Parses a full semantic version ({@code MAJOR.MINOR.PATCH} with optional pre-release and build).
   *
   * @param what what the text is, for the message ({@code VERSION}, {@code --to})
   * @throws AdminException.Usage saying what was wrong and what is expected
   */
  public static Version parse(String text, String what) {
    if (text == null || text.isBlank()) {
      throw new AdminException.Usage(what + " is empty (expected MAJOR.MINOR.PATCH, e.g. 5.2.0)");
    }
    if (text.length() > MAX_LENGTH) {
      throw new AdminException.Usage(
          what
              + " is "
              + text.length()
              + " characters long; a version has at most "
              + MAX_LENGTH
              + " (e.g. 5.2.0)");
    }
    Optional<Version> version = Version.tryParse(text, true);
    if (version.isPresent()) {
      return version.get();
    }
    String hint;
    if (text.startsWith("v") && Version.tryParse(text.substring(1), true).isPresent()) {
      hint = " (write " + text.substring(1) + ", the tag gets its 'v' from the tag pattern)";
    } else if (Version.tryParse(text, false).isPresent()) {
      hint =
          " (a version has all three parts MAJOR.MINOR.PATCH: write "
              + Version.tryParse(text, false).get()
              + ")";
    } else {
      hint = " (expected MAJOR.MINOR.PATCH, e.g. 5.2.0)";
    }
    throw new AdminException.Usage(what + " '" + text + "' is not a semantic version" + hint);
  }
}
