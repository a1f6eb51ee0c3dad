package dev.sluice.updater.state;

import dev.sluice.sqlite.Rows;
import dev.sluice.sqlite.Sqlite;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply journal: the intent of a change is written before the working tree is touched, and
 * every step after it, each in its own durable transaction.
 */
public final class JournalStore {

  /** How many finished journal entries are kept. */
  public static final int KEEP = 100;

  private static final Logger LOG = LoggerFactory.getLogger(JournalStore.class);

  private final Connection connection;

  public JournalStore(Database database) {
    this.connection = database.connection();
  }

  /** One change being applied. */
  public record Entry(
      long id,
      Instant startedAt,
      String channel,
      String targetRef,
      String fromCommit,
      String toCommit,
      JournalStep step,
      String detail) {}

  /**
   * Records the intent of a change and returns its entry. The entry, its first line in the step log
   * and the pruning of old entries are one transaction.
   */
  public Entry begin(String channel, String targetRef, String from, String to, Instant now) {
    try {
      long id =
          Sqlite.inTransaction(
              connection,
              c -> {
                long added =
                    Rows.insert(
                        c,
                        """
                        INSERT INTO journal (started_at, updated_at, channel, target_ref,
                                             from_commit, to_commit, step)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                        now.toString(),
                        now.toString(),
                        channel,
                        targetRef,
                        from,
                        to,
                        JournalStep.INTENT.name());
                logStep(added, JournalStep.INTENT, "from " + from + " to " + to, now);
                Rows.update(
                    c, "DELETE FROM journal WHERE id <= (SELECT max(id) FROM journal) - ?", KEEP);
                return added;
              });
      LOG.info("journal {}: intent to move {} from {} to {}", id, channel, from, to);
      return new Entry(id, now, channel, targetRef, from, to, JournalStep.INTENT, null);
    } catch (SQLException e) {
      throw new StateException("cannot write the apply journal: " + e, e);
    }
  }

  /**
   * Moves an entry to its next step, durably, before the caller goes on. The step and its line in
   * the step log are one transaction: a kill between them must not lose the saved ref a SAVED step
   * names.
   */
  public Entry step(Entry entry, JournalStep step, String detail, Instant now) {
    try {
      Sqlite.inTransaction(
          connection,
          c -> {
            Rows.update(
                c,
                "UPDATE journal SET step = ?, detail = ?, updated_at = ? WHERE id = ?",
                step.name(),
                detail,
                now.toString(),
                entry.id());
            logStep(entry.id(), step, detail, now);
            return null;
          });
      LOG.info("journal {}: {}{}", entry.id(), step, detail == null ? "" : " (" + detail + ")");
      return new Entry(
          entry.id(),
          entry.startedAt(),
          entry.channel(),
          entry.targetRef(),
          entry.fromCommit(),
          entry.toCommit(),
          step,
          detail);
    } catch (SQLException e) {
      throw new StateException("cannot write the apply journal: " + e, e);
    }
  }

  private void logStep(long id, JournalStep step, String detail, Instant now) throws SQLException {
    Rows.update(
        connection,
        "INSERT INTO journal_steps (journal_id, at, step, detail) VALUES (?, ?, ?, ?)",
        id,
        now.toString(),
        step.name(),
        detail);
  }

  /** The newest entry if it is not at rest: a change a dead run left half done. */
  public Optional<Entry> unfinished() {
    return latest().filter(entry -> !entry.step().isAtRest());
  }

  public Optional<Entry> latest() {
    try {
      return Rows.first(
          connection,
          """
          SELECT id, started_at, channel, target_ref, from_commit, to_commit, step, detail
          FROM journal ORDER BY id DESC LIMIT 1
          """,
          row ->
              new Entry(
                  row.getLong(1),
                  Instant.parse(row.getString(2)),
                  row.getString(3),
                  row.getString(4),
                  row.getString(5),
                  row.getString(6),
                  JournalStep.valueOf(row.getString(7)),
                  row.getString(8)));
    } catch (SQLException e) {
      throw new StateException("cannot read the apply journal: " + e, e);
    }
  }

  /** Where the run of an entry saved the node's local changes, when it had any. */
  public Optional<String> savedRef(long id) {
    try {
      return Rows.first(
          connection,
          """
          SELECT detail FROM journal_steps WHERE journal_id = ? AND step = 'SAVED'
            AND detail IS NOT NULL ORDER BY id DESC LIMIT 1
          """,
          row -> row.getString(1),
          id);
    } catch (SQLException e) {
      throw new StateException("cannot read the apply journal: " + e, e);
    }
  }

  /** The steps of one entry, oldest first, as "STEP detail" lines. */
  public List<String> steps(long id) {
    try {
      return Rows.list(
          connection,
          "SELECT at, step, detail FROM journal_steps WHERE journal_id = ? ORDER BY id",
          row -> {
            String detail = row.getString(3);
            return row.getString(1) + " " + row.getString(2) + (detail == null ? "" : " " + detail);
          },
          id);
    } catch (SQLException e) {
      throw new StateException("cannot read the apply journal: " + e, e);
    }
  }
}
