package dev.sluice.web.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Questions about a release: its health on preprod since it was cut, and adoption over time. */
final class HealthQueries {

  private final FleetDatabase database;
  private final boolean reportTimes;

  /**
   * @param reportTimes judge promotion health by the times in the reports (when a node's first
   *     report and its stored report finished) instead of when they arrived: only for simulations
   *     whose clock is not the dashboard's, since it lets a sender backdate a new node id
   */
  HealthQueries(FleetDatabase database, boolean reportTimes) {
    this.database = database;
    this.reportTimes = reportTimes;
  }

  /**
   * Healthy and failed preprod nodes for one commit (see {@link PromotionHealth}), counting only
   * nodes that were known before {@code releasedAt} and whose stored report arrived after it: a
   * burst of new node ids, or reports from before the release, cannot move the answer.
   */
  public PromotionHealth promotionHealth(String commit, Instant releasedAt) {
    long since = releasedAt.toEpochMilli();
    String first = reportTimes ? "first_finished" : "first_seen";
    String reported = reportTimes ? "finished_at" : "received_at";
    return database.read(
        connection -> {
          connection.setAutoCommit(false);
          try {
            int healthy =
                count(
                    connection,
                    """
                    SELECT count(*) FROM nodes INDEXED BY nodes_by_commit
                    WHERE current_commit = ? AND channel = 'preprod'
                      AND action IN ('updated', 'unchanged', 'held')
                      AND first_seen < ? AND received_at >= ?
                    """
                        .replace("first_seen", first)
                        .replace("received_at", reported),
                    commit,
                    since);
            int failed =
                count(
                    connection,
                    """
                    SELECT count(*) FROM nodes INDEXED BY nodes_by_target
                    WHERE target_commit = ? AND channel = 'preprod'
                      AND action IN ('failed', 'rolled-back')
                      AND first_seen < ? AND received_at >= ?
                    """
                        .replace("first_seen", first)
                        .replace("received_at", reported),
                    commit,
                    since);
            int seen =
                count(
                    connection,
                    """
                    SELECT count(*) FROM nodes
                    WHERE channel = 'preprod' AND first_seen < ? AND last_seen >= ?
                    """
                        .replace("first_seen", first)
                        .replace("last_seen", reportTimes ? "finished_at" : "last_seen"),
                    null,
                    since);
            return PromotionHealth.of(commit, releasedAt, healthy, failed, seen);
          } finally {
            connection.commit();
            connection.setAutoCommit(true);
          }
        });
  }

  private static int count(Connection connection, String sql, String commit, long since)
      throws SQLException {
    try (PreparedStatement s = connection.prepareStatement(sql)) {
      int i = 1;
      if (commit != null) {
        s.setString(i++, commit);
      }
      s.setLong(i++, since);
      s.setLong(i, since);
      try (ResultSet rows = s.executeQuery()) {
        return rows.next() ? rows.getInt(1) : 0;
      }
    }
  }

  /** The daily adoption counts from {@code fromDay} (inclusive), in day order. */
  public List<AdoptionHistory.Point> adoption(String fromDay) {
    return database.read(
        connection -> {
          List<AdoptionHistory.Point> points = new ArrayList<>();
          try (PreparedStatement s =
              connection.prepareStatement(
                  """
                  SELECT day, channel, label, nodes FROM adoption
                  WHERE day >= ? AND nodes > 0 ORDER BY day, channel, nodes DESC, label
                  """)) {
            s.setString(1, fromDay);
            try (ResultSet rows = s.executeQuery()) {
              while (rows.next()) {
                points.add(
                    new AdoptionHistory.Point(
                        rows.getString(1), rows.getString(2), rows.getString(3), rows.getInt(4)));
              }
            }
          }
          return points;
        });
  }
}
