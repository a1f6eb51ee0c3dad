package dev.sluice.web.fleet;

import dev.sluice.core.report.NodeReport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The write side of the fleet dashboard: stores reports (the latest per node, the pinned keys and
 * the counts kept in step with them) and forgets nodes. Every write goes through the database's
 * single writer connection, one transaction per batch.
 */
public final class ReportStore {

  private final FleetDatabase database;

  public ReportStore(FleetDatabase database) {
    this.database = database;
  }

  /** What became of one report handed to {@link #save}. */
  public enum Outcome {
    STORED,
    /** Older than the node's last stored report: ignored. */
    OUT_OF_ORDER,
    /** The node id has a pinned key and the report is not signed: refused. */
    UNSIGNED,
    /** The node id has a pinned key and the report is signed by another: refused. */
    OTHER_KEY,
    /**
     * Signed by the pinned key, but its sequence number is not above the last one accepted under
     * that key, or it has none although the node sent one before: a report sent again (or a state
     * file restored from an old backup). Refused, and not a sign of life.
     */
    REPLAYED
  }

  /** Stores a batch of reports in one transaction, in order, and says what became of each. */
  public List<Outcome> save(List<ReceivedReport> reports, Instant now) {
    return saveRows(reports.stream().map(ReportRow::of).toList(), now);
  }

  /** {@link #save} with the text columns already rendered (by the threads that received them). */
  List<Outcome> saveRows(List<ReportRow> rows, Instant now) {
    synchronized (database) {
      Connection connection = database.writer();
      try {
        connection.setAutoCommit(false);
        List<Outcome> outcomes = new ArrayList<>(rows.size());
        try (PreparedStatement previous = connection.prepareStatement(FleetCounts.PREVIOUS);
            PreparedStatement upsert = connection.prepareStatement(UPSERT);
            PreparedStatement seen = connection.prepareStatement(SEEN);
            PreparedStatement upsertReport = connection.prepareStatement(UPSERT_REPORT);
            PreparedStatement count = connection.prepareStatement(FleetCounts.COUNT_ADD);
            PreparedStatement adopt = connection.prepareStatement(FleetCounts.ADOPTION_ADD);
            PreparedStatement findKey = connection.prepareStatement(NodeKeyStore.FIND);
            PreparedStatement pinKey = connection.prepareStatement(NodeKeyStore.PIN);
            PreparedStatement advance = connection.prepareStatement(NodeKeyStore.ADVANCE);
            PreparedStatement pruneCounts = connection.prepareStatement(FleetCounts.PRUNE_COUNTS);
            PreparedStatement pruneAdoption =
                connection.prepareStatement(FleetCounts.PRUNE_ADOPTION)) {
          for (ReportRow row : rows) {
            ReceivedReport report = row.received();
            Optional<Outcome> refused = checkKey(findKey, pinKey, advance, report, now);
            if (refused.isPresent()) {
              outcomes.add(refused.get());
              continue;
            }
            Optional<FleetCounts.Previous> before =
                FleetCounts.previous(previous, report.report().node());
            if (before.isPresent()
                && report.finishedAt().toEpochMilli() < before.get().finishedAt()) {
              // Its content is stale, but the node is alive.
              seen.setLong(1, report.receivedAt().toEpochMilli());
              seen.setString(2, report.report().node());
              seen.executeUpdate();
              outcomes.add(Outcome.OUT_OF_ORDER);
              continue;
            }
            bindUpsert(upsert, row);
            upsert.executeUpdate();
            NodeNames.put(connection, report.report().node(), report.report().name());
            upsertReport.setString(1, report.report().node());
            upsertReport.setString(2, row.json());
            upsertReport.executeUpdate();
            FleetCounts.Group group = FleetCounts.Group.of(report);
            if (before.isEmpty() || !before.get().group().equals(group)) {
              if (before.isPresent()) {
                FleetCounts.addCount(count, before.get().group(), -1, null);
              }
              NodeReport.Reason reason = report.report().reason();
              FleetCounts.addCount(count, group, 1, reason == null ? null : reason.text());
            }
            FleetCounts.countAdoption(adopt, before, report);
            outcomes.add(Outcome.STORED);
          }
          pruneCounts.executeUpdate();
          pruneAdoption.setString(
              1, FleetCounts.day(now.minus(Duration.ofDays(FleetCounts.HISTORY_DAYS))));
          pruneAdoption.executeUpdate();
        }
        connection.commit();
        return outcomes;
      } catch (SQLException | RuntimeException e) {
        rollback(connection);
        throw new StoreException(
            "database " + database.file() + ": storing reports failed: " + e.getMessage(), e);
      } finally {
        autoCommit(connection);
      }
    }
  }

  /**
   * Trust on first use: the first signed report pins its key to the node id; after that, only
   * reports signed by that key are stored, each with a higher sequence number than the last (once
   * the node has sent one, a report without one is refused too, so an old unnumbered report cannot
   * be sent again either). Unsigned reports are stored only for ids without a key.
   */
  private static Optional<Outcome> checkKey(
      PreparedStatement findKey,
      PreparedStatement pinKey,
      PreparedStatement advance,
      ReceivedReport report,
      Instant now)
      throws SQLException {
    String node = report.report().node();
    Optional<NodeKeyStore.Pinned> pinned = NodeKeyStore.find(findKey, node);
    ReportSigner signer = report.signer();
    Long sequence = report.sequence();
    if (pinned.isEmpty()) {
      if (signer != null) {
        NodeKeyStore.pin(
            pinKey,
            node,
            new NodeKeyStore.Pinned(signer.publicKey(), signer.fingerprint(), sequence),
            now);
      }
      return Optional.empty();
    }
    if (signer == null) {
      return Optional.of(Outcome.UNSIGNED);
    }
    if (!pinned.get().publicKey().equals(signer.publicKey())) {
      return Optional.of(Outcome.OTHER_KEY);
    }
    Long last = pinned.get().sequence();
    if (last != null && (sequence == null || sequence <= last)) {
      return Optional.of(Outcome.REPLAYED);
    }
    if (sequence != null) {
      NodeKeyStore.advance(advance, node, sequence);
    }
    return Optional.empty();
  }

  /** Forgets the key pinned to a node, so that its next signed report pins a new one. */
  public boolean unpin(String node) {
    synchronized (database) {
      try {
        return NodeKeyStore.unpin(database.writer(), node);
      } catch (SQLException e) {
        throw new StoreException(
            "database " + database.file() + ": forgetting a key failed: " + e.getMessage(), e);
      }
    }
  }

  /** Forgets a node (its adoption history stays). Returns whether it was known. */
  public boolean delete(String node) {
    synchronized (database) {
      Connection connection = database.writer();
      try {
        connection.setAutoCommit(false);
        try (PreparedStatement previous = connection.prepareStatement(FleetCounts.PREVIOUS);
            PreparedStatement deleteNode =
                connection.prepareStatement("DELETE FROM nodes WHERE node = ?");
            PreparedStatement deleteReport =
                connection.prepareStatement("DELETE FROM reports WHERE node = ?");
            PreparedStatement count = connection.prepareStatement(FleetCounts.COUNT_ADD);
            PreparedStatement prune = connection.prepareStatement(FleetCounts.PRUNE_COUNTS)) {
          Optional<FleetCounts.Previous> before = FleetCounts.previous(previous, node);
          if (before.isPresent()) {
            NodeNames.remove(connection, node);
            deleteNode.setString(1, node);
            deleteNode.executeUpdate();
            deleteReport.setString(1, node);
            deleteReport.executeUpdate();
            NodeKeyStore.unpin(connection, node);
            FleetCounts.addCount(count, before.get().group(), -1, null);
            prune.executeUpdate();
          }
          connection.commit();
          return before.isPresent();
        }
      } catch (SQLException | RuntimeException e) {
        rollback(connection);
        throw new StoreException(
            "database " + database.file() + ": deleting node failed: " + e.getMessage(), e);
      } finally {
        autoCommit(connection);
      }
    }
  }

  private static final String SEEN =
      "UPDATE nodes SET last_seen = max(last_seen, ?) WHERE node = ?";

  private static final String UPSERT_REPORT =
      """
      INSERT INTO reports (node, report) VALUES (?, ?)
      ON CONFLICT (node) DO UPDATE SET report = excluded.report
      """;

  private static final String UPSERT =
      """
      INSERT INTO nodes (node, channel, preprod, groups, version, label, current_commit,
        previous_commit, target_ref, target_commit, action, message, reason_code, reason_text,
        ticket, weight, finished_at, last_seen, search, first_seen, received_at, first_finished,
        name, updater_version, remote)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (node) DO UPDATE SET
        channel = excluded.channel, preprod = excluded.preprod, groups = excluded.groups,
        version = excluded.version, label = excluded.label,
        current_commit = excluded.current_commit, previous_commit = excluded.previous_commit,
        target_ref = excluded.target_ref, target_commit = excluded.target_commit,
        action = excluded.action, message = excluded.message,
        reason_code = excluded.reason_code, reason_text = excluded.reason_text,
        ticket = excluded.ticket, weight = excluded.weight, finished_at = excluded.finished_at,
        last_seen = excluded.last_seen,
        search = excluded.search, received_at = excluded.received_at,
        name = excluded.name, updater_version = excluded.updater_version, remote = excluded.remote
      """;

  private static void bindUpsert(PreparedStatement s, ReportRow row) throws SQLException {
    ReceivedReport received = row.received();
    NodeReport r = received.report();
    int i = 1;
    s.setString(i++, r.node());
    s.setString(i++, r.channel());
    s.setInt(i++, r.preprod() ? 1 : 0);
    s.setString(i++, row.groups());
    s.setString(i++, r.version());
    s.setString(i++, received.label());
    s.setString(i++, r.currentCommit());
    s.setString(i++, r.previousCommit());
    s.setString(i++, r.target() == null ? null : r.target().ref());
    s.setString(i++, r.target() == null ? null : r.target().commit());
    s.setString(i++, r.action().id());
    s.setString(i++, r.message());
    s.setString(i++, r.reason() == null ? null : r.reason().code());
    s.setString(i++, r.reason() == null ? null : r.reason().text());
    if (r.lottery() == null || r.lottery().ticket() == null) {
      s.setNull(i++, Types.REAL);
    } else {
      s.setDouble(i++, r.lottery().ticket());
    }
    if (r.lottery() == null) {
      s.setNull(i++, Types.REAL);
    } else {
      s.setDouble(i++, r.lottery().weight());
    }
    s.setLong(i++, received.finishedAt().toEpochMilli());
    s.setLong(i++, received.receivedAt().toEpochMilli());
    s.setString(i++, row.search());
    s.setLong(i++, received.receivedAt().toEpochMilli());
    s.setLong(i++, received.receivedAt().toEpochMilli());
    s.setLong(i++, received.finishedAt().toEpochMilli());
    s.setString(i++, r.name());
    s.setString(i++, r.updaterVersion());
    s.setString(i, r.remote());
  }

  private static void rollback(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      // Nothing more to undo: the original error is what matters.
    }
  }

  private static void autoCommit(Connection connection) {
    try {
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      // The connection is unusable; the next use reports it.
    }
  }
}
