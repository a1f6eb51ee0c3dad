package dev.sluice.admin.release;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;

/**
 * A preprod release that was pushed.
 *
 * @param remote the remote it was pushed to
 * @param tag the new release tag, e.g. {@code v5.2.0_pre}
 * @param version the version
 * @param commit the commit preprod now points at and the tag marks
 * @param from what the operator asked to release
 * @param branch the preprod branch name
 * @param previousPreprod where preprod pointed before (null when it did not exist)
 * @param forced whether preprod was moved without a fast-forward
 * @param soakStart the tag's tagger time, when the soak started
 * @param warnings things the operator should know, e.g. that promotion will need master merged
 */
@JsonPropertyOrder({
  "remote",
  "tag",
  "version",
  "commit",
  "from",
  "branch",
  "previousPreprod",
  "forced",
  "soakStart",
  "warnings"
})
public record ReleaseResult(
    String remote,
    String tag,
    String version,
    String commit,
    String from,
    String branch,
    String previousPreprod,
    boolean forced,
    Instant soakStart,
    List<String> warnings) {

  public ReleaseResult {
    warnings = List.copyOf(warnings);
  }
}
