package dev.sluice.admin.status;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.sluice.core.promotion.PromotionDecision;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The channels of a remote and whether {@code promote} would go through now.
 *
 * @param remote the remote URL
 * @param now the time the soak was measured at
 * @param channels stable and preprod: branch, tip, release (newest tag reachable from the branch)
 *     and when
 * @param preprodAhead commits on preprod that master does not have
 * @param preprodBehind commits on master that preprod does not have
 * @param candidate the promotion candidate, null when there is no preprod release
 * @param promote what {@code promote} would do now
 * @param promotion the gates' verdict now (soak required, served, remaining; every reason)
 *     <p>A channel's {@code halt} is set while its guard holds it (see {@code resume}).
 */
@JsonPropertyOrder({
  "remote",
  "now",
  "channels",
  "preprodAhead",
  "preprodBehind",
  "candidate",
  "promote",
  "promotion"
})
public record StatusReport(
    String remote,
    Instant now,
    List<ChannelLine> channels,
    int preprodAhead,
    int preprodBehind,
    Candidate candidate,
    Next promote,
    PromotionDecision promotion) {

  public StatusReport {
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(now, "now");
    channels = List.copyOf(channels);
    Objects.requireNonNull(promote, "promote");
    Objects.requireNonNull(promotion, "promotion");
  }

  /**
   * One channel's branch and its release: the newest matching tag reachable from the branch.
   *
   * @param commitsSinceRelease commits on the branch after the release (0: the release is the tip)
   * @param track {@code branch} (nodes run the tip) or {@code tag} (nodes run the newest tag)
   */
  @JsonPropertyOrder({
    "channel",
    "branch",
    "tip",
    "release",
    "releasedAt",
    "commitsSinceRelease",
    "track",
    "halt"
  })
  public record ChannelLine(
      String channel,
      String branch,
      String tip,
      String release,
      Instant releasedAt,
      int commitsSinceRelease,
      String track,
      Halt halt) {}

  /**
   * The guard's halt of a channel (fleet-web wrote it when the guard tripped; {@code resume} clears
   * it).
   *
   * @param action {@code pause} or {@code dead-end}
   * @param commit the target that failed
   * @param reason the evidence in one line
   */
  @JsonPropertyOrder({"at", "action", "commit", "reason"})
  public record Halt(Instant at, String action, String commit, String reason) {}

  /** The preprod release tag that {@code promote} would promote. */
  @JsonPropertyOrder({"tag", "version", "commit", "taggedAt", "stableTag"})
  public record Candidate(
      String tag, String version, String commit, Instant taggedAt, String stableTag) {}

  /** What {@code promote} would do now. */
  public enum Next {
    /** Every gate passes: promote would push. */
    PROMOTE,
    /** The candidate is already on stable: promote would do nothing. */
    ALREADY_PROMOTED,
    /** At least one gate fails: promote would be refused. */
    REFUSED;

    @JsonValue
    public String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }
}
