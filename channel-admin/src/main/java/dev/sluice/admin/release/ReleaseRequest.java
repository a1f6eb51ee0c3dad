package dev.sluice.admin.release;

import java.util.Objects;

/**
 * A request to cut a preprod release.
 *
 * @param version the semantic version, e.g. {@code 5.2.0} (tag {@code v5.2.0_pre})
 * @param from the branch, tag or commit to release (default {@code development})
 * @param note the operator's note for the tag message, or null
 * @param force whether preprod may be moved to a commit that does not contain its current tip
 */
public record ReleaseRequest(String version, String from, String note, boolean force) {

  public static final String DEFAULT_FROM = "development";

  public ReleaseRequest {
    Objects.requireNonNull(version, "version");
    from = from == null || from.isBlank() ? DEFAULT_FROM : from.strip();
  }
}
