package dev.sluice.core.promotion;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * A rollback as read back from its annotated tag (by {@link dev.sluice.core.history.RollbackTags}).
 *
 * @param tag the short tag name, e.g. {@code rollback/stable/20261129T183000Z}
 * @param time the tagger time: when the rollback was pushed
 * @param tagger who made it ({@code Name <email>})
 * @param record what the tag's trailers say
 */
@JsonPropertyOrder({"tag", "time", "tagger", "record"})
public record Rollback(String tag, Instant time, String tagger, RollbackRecord record) {

  /** Newest first, then by tag name. */
  public static final Comparator<Rollback> NEWEST_FIRST =
      Comparator.comparing(Rollback::time).thenComparing(Rollback::tag).reversed();

  public Rollback {
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(record, "record");
  }
}
