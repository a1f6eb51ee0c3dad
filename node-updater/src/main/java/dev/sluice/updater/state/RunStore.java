package dev.sluice.updater.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.core.json.Json;
import dev.sluice.core.report.NodeReport;
import dev.sluice.core.report.Redaction;
import dev.sluice.sqlite.Rows;
import dev.sluice.sqlite.Sqlite;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The history of runs: one row per finished run, with its full report. Owns the {@code runs} table;
 * the per-action counters and the newest reported journal entry it keeps go through {@link
 * KeyValueStore}, in the same transaction.
 */
public final class RunStore {

  /** How many runs are kept; older ones are pruned as new ones are recorded. */
  public static final int KEEP = 200;

  private static final String COUNTER_PREFIX = "runs.total.";

  /** The key of the newest journal entry a recorded run covers. */
  static final String REPORTED_JOURNAL = "journal.reported";

  private final Connection connection;
  private final KeyValueStore kv;
  private final JournalStore journal;

  public RunStore(Database database) {
    this.connection = database.connection();
    this.kv = new KeyValueStore(database);
    this.journal = new JournalStore(database);
  }

  /** Records a run, prunes old ones and counts it, in one transaction (one sync to disk). */
  public void record(NodeReport report) {
    try {
      Sqlite.inTransaction(
          connection,
          c -> {
            insert(report);
            return null;
          });
    } catch (SQLException e) {
      throw new StateException("cannot record the run in the state file: " + e, e);
    }
  }

  private void insert(NodeReport report) throws SQLException {
    Rows.update(
        connection,
        """
        INSERT INTO runs (started_at, finished_at, channel, action, previous_commit,
                          current_commit, target_ref, target_commit, message, report)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        report.startedAt().toString(),
        report.finishedAt().toString(),
        report.channel(),
        report.action().id(),
        report.previousCommit(),
        report.currentCommit(),
        report.target() == null ? null : report.target().ref(),
        report.target() == null ? null : report.target().commit(),
        report.message(),
        Json.write(report));
    Rows.update(connection, "DELETE FROM runs WHERE id <= (SELECT max(id) FROM runs) - ?", KEEP);
    // Unlike the pruned history, the counters never shrink.
    kv.increment(COUNTER_PREFIX + report.action().id(), report.finishedAt());
    long reported = journal.latest().map(JournalStore.Entry::id).orElse(0L);
    kv.put(REPORTED_JOURNAL, Long.toString(reported), report.finishedAt());
  }

  /** Runs per action since the state file was made. */
  public Map<String, Long> counts() {
    Map<String, Long> counts = new TreeMap<>();
    try {
      kv.withPrefix(COUNTER_PREFIX)
          .forEach((action, count) -> counts.put(action, Long.parseLong(count)));
      return counts;
    } catch (NumberFormatException e) {
      throw new StateException("cannot read run counters from the state file: " + e, e);
    }
  }

  /** The newest runs first. */
  public List<NodeReport> latest(int limit) {
    try {
      return Rows.list(
          connection,
          "SELECT report FROM runs ORDER BY id DESC LIMIT ?",
          // Redacted on the way out too: a run recorded by an older version may quote a token.
          row -> Redaction.report(readReport(row.getString(1))),
          limit);
    } catch (SQLException | UncheckedIOException e) {
      throw new StateException("cannot read the run history from the state file: " + e, e);
    }
  }

  private static NodeReport readReport(String json) {
    try {
      return Json.mapper().readValue(json, NodeReport.class);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The newest apply-journal entry whose run was recorded; empty for a state file from before this
   * was kept.
   */
  public Optional<Long> lastReportedJournal() {
    try {
      return kv.get(REPORTED_JOURNAL).map(Long::parseLong);
    } catch (StateException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The channel of the newest recorded run, without reading its report. */
  public Optional<String> lastChannel() {
    try {
      return Rows.first(
          connection, "SELECT channel FROM runs ORDER BY id DESC LIMIT 1", row -> row.getString(1));
    } catch (SQLException e) {
      throw new StateException("cannot read the run history from the state file: " + e, e);
    }
  }

  public Optional<NodeReport> last() {
    List<NodeReport> runs = latest(1);
    return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
  }
}
