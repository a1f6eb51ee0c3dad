package dev.sluice.web.fleet;

import dev.sluice.core.report.NodeReport;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The counts the writer keeps in step with the {@code nodes} table, so that the summary never scans
 * the fleet: {@code fleet_counts} (nodes per channel, version, commit, action, reason and target)
 * and {@code adoption} (nodes per day, channel and version). Every method runs on the writer's
 * connection, inside the transaction that changes the node.
 */
final class FleetCounts {

  /** Adoption rows older than this many days are dropped. */
  static final int HISTORY_DAYS = 400;

  private FleetCounts() {}

  /**
   * The key of a node in {@code fleet_counts}: what the summary groups by. Nulls are stored as
   * empty strings so that they can be part of the primary key.
   */
  record Group(
      String channel,
      String label,
      String currentCommit,
      String action,
      String reasonCode,
      String targetCommit) {

    static Group of(ReceivedReport received) {
      NodeReport r = received.report();
      return new Group(
          r.channel(),
          received.label(),
          blank(r.currentCommit()),
          r.action().id(),
          blank(r.reason() == null ? null : r.reason().code()),
          blank(r.target() == null ? null : r.target().commit()));
    }

    static Group read(ResultSet rows, int first) throws SQLException {
      return new Group(
          rows.getString(first),
          rows.getString(first + 1),
          blank(rows.getString(first + 2)),
          rows.getString(first + 3),
          blank(rows.getString(first + 4)),
          blank(rows.getString(first + 5)));
    }

    private static String blank(String text) {
      return text == null ? "" : text;
    }
  }

  /** A node's stored report as the counts know it: when it finished and where it is counted. */
  record Previous(long finishedAt, Group group) {}

  static final String PREVIOUS =
      """
      SELECT finished_at, channel, label, current_commit, action, reason_code, target_commit
      FROM nodes WHERE node = ?
      """;

  static Optional<Previous> previous(PreparedStatement statement, String node) throws SQLException {
    statement.setString(1, node);
    try (ResultSet rows = statement.executeQuery()) {
      return rows.next()
          ? Optional.of(new Previous(rows.getLong(1), Group.read(rows, 2)))
          : Optional.empty();
    }
  }

  static final String COUNT_ADD =
      """
      INSERT INTO fleet_counts (channel, label, current_commit, action, reason_code, target_commit,
        nodes, example)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (channel, label, current_commit, action, reason_code, target_commit)
      DO UPDATE SET nodes = nodes + excluded.nodes, example = coalesce(excluded.example, example)
      """;

  static final String PRUNE_COUNTS = "DELETE FROM fleet_counts WHERE nodes <= 0";

  static final String PRUNE_ADOPTION = "DELETE FROM adoption WHERE day < ? OR nodes <= 0";

  static void addCount(PreparedStatement s, Group group, int delta, String example)
      throws SQLException {
    s.setString(1, group.channel());
    s.setString(2, group.label());
    s.setString(3, group.currentCommit());
    s.setString(4, group.action());
    s.setString(5, group.reasonCode());
    s.setString(6, group.targetCommit());
    s.setInt(7, delta);
    s.setString(8, example);
    s.executeUpdate();
  }

  static final String ADOPTION_ADD =
      """
      INSERT INTO adoption (day, channel, label, nodes) VALUES (?, ?, ?, ?)
      ON CONFLICT (day, channel, label) DO UPDATE SET nodes = nodes + excluded.nodes
      """;

  /**
   * Keeps the daily adoption counts: each node counts once per day, for the channel and version of
   * its last report that day.
   */
  static void countAdoption(
      PreparedStatement count, Optional<Previous> before, ReceivedReport report)
      throws SQLException {
    String day = day(report.finishedAt());
    String channel = report.report().channel();
    String label = report.label();
    if (before.isPresent()) {
      Previous previous = before.get();
      String previousDay = day(Instant.ofEpochMilli(previous.finishedAt()));
      if (previousDay.equals(day)) {
        Group was = previous.group();
        if (was.channel().equals(channel) && was.label().equals(label)) {
          return;
        }
        addAdoption(count, day, was.channel(), was.label(), -1);
      }
    }
    addAdoption(count, day, channel, label, 1);
  }

  private static void addAdoption(
      PreparedStatement count, String day, String channel, String label, int delta)
      throws SQLException {
    count.setString(1, day);
    count.setString(2, channel);
    count.setString(3, label);
    count.setInt(4, delta);
    count.executeUpdate();
  }

  static String day(Instant instant) {
    return LocalDate.ofInstant(instant, ZoneOffset.UTC).toString();
  }
}
