package dev.sluice.core.version;

import com.github.zafarkhaja.semver.Version;
import java.util.Objects;
import java.util.Optional;

/**
 * A release tag pattern with exactly one {@code *} standing for a semantic version, such as {@code
 * v*} (stable: {@code v5.2.0}) or {@code v*_pre} (preprod: {@code v5.2.0_pre}).
 *
 * <p>The part matched by {@code *} must be a valid semantic version, so {@code v5.2.0_pre} is not a
 * stable release tag: {@code 5.2.0_pre} is not semver.
 */
public record TagPattern(String prefix, String suffix) {

  public TagPattern {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(suffix, "suffix");
  }

  public static TagPattern parse(String pattern) {
    int star = pattern == null ? -1 : pattern.indexOf('*');
    if (star < 0 || pattern.indexOf('*', star + 1) >= 0) {
      throw new IllegalArgumentException(
          "tag pattern '" + pattern + "' must contain exactly one '*', e.g. v* or v*_pre");
    }
    return new TagPattern(pattern.substring(0, star), pattern.substring(star + 1));
  }

  /** The semantic version in a short tag name, if the name matches this pattern. */
  public Optional<Version> versionOf(String tagName) {
    if (tagName.length() <= prefix.length() + suffix.length()
        || !tagName.startsWith(prefix)
        || !tagName.endsWith(suffix)) {
      return Optional.empty();
    }
    String core = tagName.substring(prefix.length(), tagName.length() - suffix.length());
    return Version.tryParse(core, true);
  }

  /** The tag name for a version, e.g. {@code v5.2.0_pre}. */
  public String tagFor(Version version) {
    return prefix + version + suffix;
  }

  @Override
  public String toString() {
    return prefix + "*" + suffix;
  }
}
