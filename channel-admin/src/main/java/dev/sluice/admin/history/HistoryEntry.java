package dev.sluice.admin.history;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.sluice.core.promotion.GateResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One release, promotion or rollback as read back from its tag. Fields that do not apply (or that a
 * tag made by hand did not record) are null and left out of JSON.
 *
 * @param kind release (channel-admin's preprod tag), promotion (channel-admin's stable tag),
 *     rollback (channel-admin's rollback tag) or tag (a release tag channel-admin did not make)
 * @param channel the channel the tag belongs to
 * @param tag the tag name
 * @param version the version (null for a rollback)
 * @param commit the commit the tag marks (rollback: the commit the branch left)
 * @param time the tagger time (commit time for a lightweight tag)
 * @param by who made the tag, null for a lightweight tag
 * @param from what was released (release); the release the branch left (rollback)
 * @param forced whether preprod was moved without a fast-forward (release)
 * @param note the operator's note (release)
 * @param candidate the preprod tag that was promoted (promotion)
 * @param soakRequired the soak required at promotion (promotion)
 * @param soakServed the soak actually served (promotion)
 * @param overrideReason why the soak gate was overridden, null when it was not (promotion)
 * @param gates every gate as recorded at promotion (promotion)
 * @param to the release the branch went back to (rollback)
 * @param toCommit that release's commit (rollback)
 * @param deadend the ref marked a dead-end (rollback)
 * @param reason why (rollback)
 * @param recorded whether the tag carries channel-admin's record (false: made by hand)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "kind",
  "channel",
  "tag",
  "version",
  "commit",
  "time",
  "by",
  "from",
  "forced",
  "note",
  "candidate",
  "soakRequired",
  "soakServed",
  "overrideReason",
  "gates",
  "to",
  "toCommit",
  "deadend",
  "reason",
  "recorded"
})
public record HistoryEntry(
    Kind kind,
    String channel,
    String tag,
    String version,
    String commit,
    Instant time,
    String by,
    String from,
    Boolean forced,
    String note,
    String candidate,
    @JsonFormat(shape = JsonFormat.Shape.STRING) Duration soakRequired,
    @JsonFormat(shape = JsonFormat.Shape.STRING) Duration soakServed,
    String overrideReason,
    List<GateResult> gates,
    String to,
    String toCommit,
    String deadend,
    String reason,
    boolean recorded) {

  /** What the tag records. */
  public enum Kind {
    /** channel-admin's preprod release tag. */
    RELEASE,
    /** channel-admin's promotion tag on stable. */
    PROMOTION,
    /** channel-admin's rollback tag. */
    ROLLBACK,
    /** A release tag that channel-admin did not make (no record): not labelled a promotion. */
    TAG;

    @JsonValue
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public HistoryEntry {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(time, "time");
    gates = gates == null ? null : List.copyOf(gates);
  }
}
