package dev.sluice.updater.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.core.json.Json;
import dev.sluice.core.report.NodeReport;
import dev.sluice.updater.report.Redaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The history of runs: one row per finished run, with its full report. */
public final class RunStore {

  /** How many runs are kept; older ones are pruned as new ones are recorded. */
  public static final int KEEP = 200;

  private static final String COUNTER_PREFIX = "runs.total.";

  /** The key of the newest journal entry a recorded run covers. */
  static final String REPORTED_JOURNAL = "journal.reported";

  private final Connection connection;

  public RunStore(Database database) {
    this.connection = database.connection();
  }

  /** Records a run, prunes old ones and counts it, in one transaction (one sync to disk). */
  public void record(NodeReport report) {
    try {
      connection.setAutoCommit(false);
      try {
        insert(report);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StateException("cannot record the run in the state file: " + e, e);
    }
  }

  private void insert(NodeReport report) throws SQLException {
    try (PreparedStatement insert =
            connection.prepareStatement(
                """
                INSERT INTO runs (started_at, finished_at, channel, action, previous_commit,
                                  current_commit, target_ref, target_commit, message, report)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """);
        PreparedStatement prune =
            connection.prepareStatement(
                "DELETE FROM runs WHERE id <= (SELECT max(id) FROM runs) - ?")) {
      insert.setString(1, report.startedAt().toString());
      insert.setString(2, report.finishedAt().toString());
      insert.setString(3, report.channel());
      insert.setString(4, report.action().id());
      insert.setString(5, report.previousCommit());
      insert.setString(6, report.currentCommit());
      insert.setString(7, report.target() == null ? null : report.target().ref());
      insert.setString(8, report.target() == null ? null : report.target().commit());
      insert.setString(9, report.message());
      insert.setString(10, Json.write(report));
      insert.executeUpdate();
      prune.setInt(1, KEEP);
      prune.executeUpdate();
      count(report.action().id(), report.finishedAt().toString());
      try (PreparedStatement reported =
          connection.prepareStatement(
              """
              INSERT INTO kv (key, value, updated_at)
                SELECT ?, CAST(coalesce(max(id), 0) AS TEXT), ? FROM journal WHERE true
              ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
              """)) {
        reported.setString(1, REPORTED_JOURNAL);
        reported.setString(2, report.finishedAt().toString());
        reported.executeUpdate();
      }
    }
  }

  /** Counts runs per action in the key-value table; unlike the pruned history, never shrinks. */
  private void count(String action, String now) throws SQLException {
    try (PreparedStatement upsert =
        connection.prepareStatement(
            """
            INSERT INTO kv (key, value, updated_at) VALUES (?, '1', ?)
            ON CONFLICT (key) DO UPDATE
              SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT), updated_at = excluded.updated_at
            """)) {
      upsert.setString(1, COUNTER_PREFIX + action);
      upsert.setString(2, now);
      upsert.executeUpdate();
    }
  }

  /** Runs per action since the state file was made. */
  public Map<String, Long> counts() {
    Map<String, Long> counts = new TreeMap<>();
    try (PreparedStatement select =
        connection.prepareStatement("SELECT key, value FROM kv WHERE key LIKE 'runs.total.%'")) {
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) {
          counts.put(
              result.getString(1).substring(COUNTER_PREFIX.length()),
              Long.parseLong(result.getString(2)));
        }
      }
      return counts;
    } catch (SQLException | NumberFormatException e) {
      throw new StateException("cannot read run counters from the state file: " + e, e);
    }
  }

  /** The newest runs first. */
  public List<NodeReport> latest(int limit) {
    List<NodeReport> runs = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT report FROM runs ORDER BY id DESC LIMIT ?")) {
      statement.setInt(1, limit);
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          // Redacted on the way out too: a run recorded by an older version may quote a token.
          runs.add(
              Redaction.report(Json.mapper().readValue(result.getString(1), NodeReport.class)));
        }
      }
      return runs;
    } catch (SQLException | JsonProcessingException e) {
      throw new StateException("cannot read the run history from the state file: " + e, e);
    }
  }

  /**
   * The newest apply-journal entry whose run was recorded; empty for a state file from before this
   * was kept.
   */
  public Optional<Long> lastReportedJournal() {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT value FROM kv WHERE key = ?")) {
      select.setString(1, REPORTED_JOURNAL);
      try (ResultSet result = select.executeQuery()) {
        return result.next() ? Optional.of(Long.parseLong(result.getString(1))) : Optional.empty();
      }
    } catch (SQLException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The channel of the newest recorded run, without reading its report. */
  public Optional<String> lastChannel() {
    try (PreparedStatement select =
            connection.prepareStatement("SELECT channel FROM runs ORDER BY id DESC LIMIT 1");
        ResultSet result = select.executeQuery()) {
      return result.next() ? Optional.ofNullable(result.getString(1)) : Optional.empty();
    } catch (SQLException e) {
      throw new StateException("cannot read the run history from the state file: " + e, e);
    }
  }

  public Optional<NodeReport> last() {
    List<NodeReport> runs = latest(1);
    return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
  }
}
