package dev.sluice.core.promotion;

import java.util.Objects;
import java.util.Optional;

/**
 * What a preprod release recorded in its tag's message: the version, where it was cut from, the
 * commit, whether preprod was force-moved, and the operator's note. {@link #tagMessage()} writes
 * it; {@link #parse(String)} reads it back for {@code history}.
 *
 * <pre>
 * Release 5.2.0 to preprod
 *
 * optional note from the operator
 *
 * Sluice-Release: 5.2.0
 * Sluice-From: development
 * Sluice-Commit: 1f0c...
 * Sluice-Forced: true
 * </pre>
 */
public record ReleaseRecord(
    String version, String from, String commit, boolean forced, String note) {

  static final String RELEASE = "Sluice-Release";
  static final String FROM = "Sluice-From";
  static final String COMMIT = "Sluice-Commit";
  static final String FORCED = "Sluice-Forced";

  public ReleaseRecord {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(commit, "commit");
    note = note == null ? "" : note.strip();
  }

  /** The annotated tag message for the preprod release tag. */
  public String tagMessage() {
    Trailers trailers = new Trailers().add(RELEASE, version).add(FROM, from).add(COMMIT, commit);
    if (forced) {
      trailers.add(FORCED, "true");
    }
    return trailers.format("Release " + version + " to preprod", note);
  }

  /** Reads a release back from a tag message; empty when the message is not one. */
  public static Optional<ReleaseRecord> parse(String message) {
    Trailers trailers = Trailers.parse(message);
    Optional<String> version = trailers.first(RELEASE);
    Optional<String> commit = trailers.first(COMMIT);
    if (version.isEmpty() || commit.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ReleaseRecord(
            version.get(),
            trailers.first(FROM).orElse(""),
            commit.get(),
            trailers.first(FORCED).map(Boolean::parseBoolean).orElse(false),
            Trailers.body(message)));
  }
}
