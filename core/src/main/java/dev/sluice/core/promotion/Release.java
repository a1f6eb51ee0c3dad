package dev.sluice.core.promotion;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.github.zafarkhaja.semver.Version;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * A release tag as read from git: a preprod release ({@code v5.2.0_pre}) or a promotion to stable
 * ({@code v5.2.0}).
 *
 * @param channel {@code preprod} or {@code stable}: which channel's tag pattern the tag matches
 * @param tag the short tag name
 * @param version the semantic version in the tag name
 * @param commit the full id of the commit the tag marks
 * @param time the tagger time of an annotated tag (the soak start for a preprod release), or the
 *     commit time of a lightweight tag
 * @param annotated whether the tag is an annotated tag object
 * @param tagger who made an annotated tag ({@code Name <email>}), null for a lightweight tag
 * @param message the annotated tag's message, empty for a lightweight tag
 */
@JsonPropertyOrder({
  "channel",
  "tag",
  "version",
  "commit",
  "time",
  "annotated",
  "tagger",
  "message"
})
public record Release(
    String channel,
    String tag,
    String version,
    String commit,
    Instant time,
    boolean annotated,
    String tagger,
    String message) {

  /** Newest first: by tag time, then by version, then by name. */
  public static final Comparator<Release> NEWEST_FIRST =
      Comparator.comparing(Release::time)
          .thenComparing(Release::semver, Version::compareTo)
          .thenComparing(Release::tag)
          .reversed();

  public Release {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(time, "time");
    message = message == null ? "" : message;
    Version.parse(version);
  }

  /** The version as a semantic version, for ordering. */
  public Version semver() {
    return Version.parse(version);
  }
}
