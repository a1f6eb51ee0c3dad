package dev.sluice.updater.state;

import dev.sluice.sqlite.Rows;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Commits that failed on this node, how often and why (das-schiff's remembered invalid config). */
public final class FailedCommitStore {

  private static final Logger LOG = LoggerFactory.getLogger(FailedCommitStore.class);

  private final Connection connection;

  public FailedCommitStore(Database database) {
    this.connection = database.connection();
  }

  /** A failed commit. */
  public record Failure(String commit, int attempts, String lastReason, Instant lastFailedAt) {}

  /** Counts one more failure of a commit and returns the new count. */
  public int recordFailure(String commit, String reason, Instant now) {
    try {
      Rows.update(
          connection,
          """
          INSERT INTO failed_commits (commit_id, attempts, last_reason, last_failed_at)
          VALUES (?, 1, ?, ?)
          ON CONFLICT (commit_id) DO UPDATE SET attempts = attempts + 1,
            last_reason = excluded.last_reason, last_failed_at = excluded.last_failed_at
          """,
          commit,
          reason,
          now.toString());
      int attempts = find(commit).map(Failure::attempts).orElse(1);
      LOG.warn("marked commit {} as failed (attempt {}): {}", commit, attempts, reason);
      return attempts;
    } catch (SQLException e) {
      throw new StateException("cannot record failed commit " + commit + ": " + e, e);
    }
  }

  public Optional<Failure> find(String commit) {
    try {
      return Rows.first(
          connection,
          """
          SELECT commit_id, attempts, last_reason, last_failed_at
          FROM failed_commits WHERE commit_id = ?
          """,
          row ->
              new Failure(
                  row.getString(1),
                  row.getInt(2),
                  row.getString(3),
                  Instant.parse(row.getString(4))),
          commit);
    } catch (SQLException e) {
      throw new StateException("cannot read failed commits: " + e, e);
    }
  }

  /** Every failed commit with its attempt count. */
  public Map<String, Integer> attempts() {
    Map<String, Integer> attempts = new LinkedHashMap<>();
    try {
      for (Failure failure :
          Rows.list(
              connection,
              "SELECT commit_id, attempts FROM failed_commits ORDER BY last_failed_at DESC",
              row -> new Failure(row.getString(1), row.getInt(2), null, null))) {
        attempts.put(failure.commit(), failure.attempts());
      }
      return attempts;
    } catch (SQLException e) {
      throw new StateException("cannot read failed commits: " + e, e);
    }
  }

  /** Failed attempts over all commits: a counter for the metrics endpoint. */
  public long totalAttempts() {
    try {
      return Rows.first(
              connection,
              "SELECT coalesce(sum(attempts), 0) FROM failed_commits",
              row -> row.getLong(1))
          .orElse(0L);
    } catch (SQLException e) {
      throw new StateException("cannot read failed commits: " + e, e);
    }
  }
}
