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
 * One release or promotion as read back from its tag. Fields that do not apply (or that a tag made
 * by hand did not record) are null and left out of JSON.
 *
 * @param kind release (a preprod tag) or promotion (a stable tag)
 * @param tag the tag name
 * @param version the version
 * @param commit the commit the tag marks
 * @param time the tagger time (commit time for a lightweight tag)
 * @param by who made the tag, null for a lightweight tag
 * @param from what was released (release)
 * @param forced whether preprod was moved without a fast-forward (release)
 * @param note the operator's note (release)
 * @param candidate the preprod tag that was promoted (promotion)
 * @param soakRequired the soak required at promotion (promotion)
 * @param soakServed the soak actually served (promotion)
 * @param overrideReason why the soak gate was overridden, null when it was not (promotion)
 * @param gates every gate as recorded at promotion (promotion)
 * @param recorded whether the tag carries channel-admin's record (false: made by hand)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "kind",
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
  "recorded"
})
public record HistoryEntry(
    Kind kind,
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
    boolean recorded) {

  /** A preprod release or a promotion to stable. */
  public enum Kind {
    RELEASE,
    PROMOTION;

    @JsonValue
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public HistoryEntry {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(time, "time");
    gates = gates == null ? null : List.copyOf(gates);
  }
}
