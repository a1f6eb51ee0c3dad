package dev.sluice.core.promotion;

import dev.sluice.core.text.Show;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;

/**
 * What a rollback recorded in its annotated tag ({@code rollback/<channel>/<UTC time>}, on the
 * commit that was taken off the channel): the channel and branch, the release it left and the one
 * it went back to, the dead-end it set and why. {@link #tagMessage()} writes it; {@link
 * #parse(String)} reads it back for {@code history} and the dashboard.
 *
 * <pre>
 * Roll back stable from v5.2.0 to v5.1.0
 *
 * db migration corrupts state
 *
 * Sluice-Rollback: stable
 * Sluice-Branch: master
 * Sluice-From: v5.2.0
 * Sluice-From-Commit: 9a1c...
 * Sluice-To: v5.1.0
 * Sluice-To-Commit: f335...
 * Sluice-Deadend: v5.2.0
 * Sluice-Reason: db migration corrupts state
 * </pre>
 *
 * @param channel {@code stable} or {@code preprod}
 * @param branch the channel's branch
 * @param from the release tag the branch left, or its commit id when the tip carried no tag
 * @param fromCommit the commit the branch left (the dead-end)
 * @param to the release tag the branch went back to
 * @param toCommit that tag's commit
 * @param deadend the ref marked a dead-end in the rollout policy
 * @param reason why, as the operator gave it (one line)
 */
public record RollbackRecord(
    String channel,
    String branch,
    String from,
    String fromCommit,
    String to,
    String toCommit,
    String deadend,
    String reason) {

  /** Every rollback tag's name starts with this. */
  public static final String TAG_PREFIX = "rollback/";

  static final String ROLLBACK = "Sluice-Rollback";
  static final String BRANCH = "Sluice-Branch";
  static final String FROM = "Sluice-From";
  static final String FROM_COMMIT = "Sluice-From-Commit";
  static final String TO = "Sluice-To";
  static final String TO_COMMIT = "Sluice-To-Commit";
  static final String DEADEND = "Sluice-Deadend";
  static final String REASON = "Sluice-Reason";

  private static final DateTimeFormatter STAMP = Show.COMPACT_TIME;

  public RollbackRecord {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(fromCommit, "fromCommit");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(toCommit, "toCommit");
    Objects.requireNonNull(deadend, "deadend");
    reason = Trailers.oneLine(Objects.requireNonNull(reason, "reason"));
  }

  /**
   * The tag name for a rollback of a channel at a time: {@code rollback/stable/20261129T183000Z}.
   */
  public static String tagName(String channel, Instant when) {
    return TAG_PREFIX + channel + "/" + STAMP.format(when);
  }

  /** Whether a short tag name is a rollback tag's. */
  public static boolean isTagName(String name) {
    return name.startsWith(TAG_PREFIX);
  }

  /** The annotated tag message. */
  public String tagMessage() {
    Trailers trailers =
        new Trailers()
            .add(ROLLBACK, channel)
            .add(BRANCH, branch)
            .add(FROM, from)
            .add(FROM_COMMIT, fromCommit)
            .add(TO, to)
            .add(TO_COMMIT, toCommit)
            .add(DEADEND, deadend)
            .add(REASON, reason);
    return trailers.format("Roll back " + channel + " from " + from + " to " + to, reason);
  }

  /** Reads a rollback back from a tag message; empty when the message is not one. */
  public static Optional<RollbackRecord> parse(String message) {
    Trailers trailers = Trailers.parse(message);
    Optional<String> channel = trailers.first(ROLLBACK);
    Optional<String> fromCommit = trailers.first(FROM_COMMIT);
    Optional<String> toCommit = trailers.first(TO_COMMIT);
    if (channel.isEmpty() || fromCommit.isEmpty() || toCommit.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new RollbackRecord(
            channel.get(),
            trailers.first(BRANCH).orElse(""),
            trailers.first(FROM).orElse(fromCommit.get()),
            fromCommit.get(),
            trailers.first(TO).orElse(toCommit.get()),
            toCommit.get(),
            trailers.first(DEADEND).orElse(""),
            trailers.first(REASON).orElse("")));
  }
}
