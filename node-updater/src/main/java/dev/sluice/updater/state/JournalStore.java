package dev.sluice.updater.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
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

  /** Records the intent of a change and returns its entry. */
  public Entry begin(String channel, String targetRef, String from, String to, Instant now) {
    try (PreparedStatement insert =
        connection.prepareStatement(
            """
            INSERT INTO journal (started_at, updated_at, channel, target_ref, from_commit, to_commit, step)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            Statement.RETURN_GENERATED_KEYS)) {
      insert.setString(1, now.toString());
      insert.setString(2, now.toString());
      insert.setString(3, channel);
      insert.setString(4, targetRef);
      insert.setString(5, from);
      insert.setString(6, to);
      insert.setString(7, JournalStep.INTENT.name());
      insert.executeUpdate();
      long id;
      try (ResultSet keys = insert.getGeneratedKeys()) {
        keys.next();
        id = keys.getLong(1);
      }
      logStep(id, JournalStep.INTENT, "from " + from + " to " + to, now);
      prune();
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
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE journal SET step = ?, detail = ?, updated_at = ? WHERE id = ?")) {
      connection.setAutoCommit(false);
      try {
        update.setString(1, step.name());
        update.setString(2, detail);
        update.setString(3, now.toString());
        update.setLong(4, entry.id());
        update.executeUpdate();
        logStep(entry.id(), step, detail, now);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
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
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO journal_steps (journal_id, at, step, detail) VALUES (?, ?, ?, ?)")) {
      insert.setLong(1, id);
      insert.setString(2, now.toString());
      insert.setString(3, step.name());
      insert.setString(4, detail);
      insert.executeUpdate();
    }
  }

  private void prune() throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement(
            "DELETE FROM journal WHERE id <= (SELECT max(id) FROM journal) - ?")) {
      delete.setInt(1, KEEP);
      delete.executeUpdate();
    }
  }

  /** The newest entry if it is not at rest: a change a dead run left half done. */
  public Optional<Entry> unfinished() {
    return latest().filter(entry -> !entry.step().isAtRest());
  }

  public Optional<Entry> latest() {
    try (PreparedStatement select =
            connection.prepareStatement(
                """
                SELECT id, started_at, channel, target_ref, from_commit, to_commit, step, detail
                FROM journal ORDER BY id DESC LIMIT 1
                """);
        ResultSet result = select.executeQuery()) {
      if (!result.next()) {
        return Optional.empty();
      }
      return Optional.of(
          new Entry(
              result.getLong(1),
              Instant.parse(result.getString(2)),
              result.getString(3),
              result.getString(4),
              result.getString(5),
              result.getString(6),
              JournalStep.valueOf(result.getString(7)),
              result.getString(8)));
    } catch (SQLException e) {
      throw new StateException("cannot read the apply journal: " + e, e);
    }
  }

  /** Where the run of an entry saved the node's local changes, when it had any. */
  public Optional<String> savedRef(long id) {
    try (PreparedStatement select =
        connection.prepareStatement(
            """
            SELECT detail FROM journal_steps WHERE journal_id = ? AND step = 'SAVED'
              AND detail IS NOT NULL ORDER BY id DESC LIMIT 1
            """)) {
      select.setLong(1, id);
      try (ResultSet result = select.executeQuery()) {
        return result.next() ? Optional.of(result.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StateException("cannot read the apply journal: " + e, e);
    }
  }

  /** The steps of one entry, oldest first, as "STEP detail" lines. */
  public List<String> steps(long id) {
    List<String> steps = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT at, step, detail FROM journal_steps WHERE journal_id = ? ORDER BY id")) {
      select.setLong(1, id);
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) {
          String detail = result.getString(3);
          steps.add(
              result.getString(1)
                  + " "
                  + result.getString(2)
                  + (detail == null ? "" : " " + detail));
        }
      }
      return steps;
    } catch (SQLException e) {
      throw new StateException("cannot read the apply journal: " + e, e);
    }
  }
}
