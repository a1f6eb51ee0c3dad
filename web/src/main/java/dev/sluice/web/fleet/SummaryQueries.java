package dev.sluice.web.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The numbers behind {@code /api/fleet}, read from the counts the writer keeps in step with the
 * nodes (see {@link FleetCounts}), and the readiness probe.
 */
final class SummaryQueries {

  private final FleetDatabase database;

  SummaryQueries(FleetDatabase database) {
    this.database = database;
  }

  /** Raw counts behind {@link FleetSummary}, read in one consistent snapshot. */
  record Aggregates(
      List<FleetSummary.ChannelCount> channels,
      List<FleetSummary.VersionCount> versions,
      Map<String, Integer> actions,
      List<FleetSummary.ReasonCount> failureReasons,
      List<NodeView> recentFailures,
      List<FleetSummary.ReasonCount> heldReasons,
      List<NodeView> heldNodes,
      int staleTotal,
      List<NodeView> staleNodes) {}

  /**
   * Reads the summary's numbers in one snapshot. Counts come from {@code fleet_counts}, which the
   * writer keeps in step with {@code nodes}, so the cost does not grow with the fleet; only the
   * "not seen recently" count walks an index, and only over the silent nodes.
   */
  Aggregates aggregates(Instant activeSince, int listLimit) {
    long since = activeSince.toEpochMilli();
    return database.read(
        connection -> {
          connection.setAutoCommit(false);
          try {
            Map<String, Integer> staleByChannel = new LinkedHashMap<>();
            try (PreparedStatement s =
                connection.prepareStatement(
                    """
                    SELECT channel, count(*) FROM nodes INDEXED BY nodes_by_seen
                    WHERE last_seen < ? GROUP BY channel
                    """)) {
              s.setLong(1, since);
              try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                  staleByChannel.put(rows.getString(1), rows.getInt(2));
                }
              }
            }
            List<FleetSummary.ChannelCount> channels = new ArrayList<>();
            try (PreparedStatement s =
                    connection.prepareStatement(
                        """
                        SELECT channel, sum(nodes) FROM fleet_counts
                        GROUP BY channel ORDER BY channel
                        """);
                ResultSet rows = s.executeQuery()) {
              while (rows.next()) {
                String channel = rows.getString(1);
                int nodes = rows.getInt(2);
                channels.add(
                    new FleetSummary.ChannelCount(
                        channel, nodes, nodes - staleByChannel.getOrDefault(channel, 0)));
              }
            }
            List<FleetSummary.VersionCount> versions = new ArrayList<>();
            try (PreparedStatement s =
                    connection.prepareStatement(
                        """
                        SELECT channel, label, current_commit, sum(nodes) AS n FROM fleet_counts
                        GROUP BY channel, label, current_commit
                        ORDER BY channel, n DESC, label LIMIT 200
                        """);
                ResultSet rows = s.executeQuery()) {
              while (rows.next()) {
                versions.add(
                    new FleetSummary.VersionCount(
                        rows.getString(1),
                        rows.getString(2),
                        nullIfBlank(rows.getString(3)),
                        rows.getInt(4)));
              }
            }
            Map<String, Integer> actions = new LinkedHashMap<>();
            try (PreparedStatement s =
                    connection.prepareStatement(
                        """
                        SELECT action, sum(nodes) FROM fleet_counts
                        GROUP BY action ORDER BY action
                        """);
                ResultSet rows = s.executeQuery()) {
              while (rows.next()) {
                actions.put(rows.getString(1), rows.getInt(2));
              }
            }
            List<FleetSummary.ReasonCount> failureReasons =
                reasons(
                    connection,
                    """
                    SELECT action, reason_code, target_commit, sum(nodes) AS n, max(example)
                    FROM fleet_counts WHERE action IN ('failed', 'rolled-back')
                    GROUP BY action, reason_code, target_commit ORDER BY n DESC, reason_code LIMIT ?
                    """,
                    listLimit);
            List<NodeView> recentFailures =
                NodeQueries.nodes(
                    connection,
                    "WHERE action IN ('failed', 'rolled-back') ORDER BY last_seen DESC, node"
                        + " LIMIT ?",
                    List.of(listLimit));
            List<FleetSummary.ReasonCount> heldReasons =
                reasons(
                    connection,
                    """
                    SELECT 'held', reason_code, '', sum(nodes) AS n, max(example)
                    FROM fleet_counts WHERE action = 'held'
                    GROUP BY reason_code ORDER BY n DESC, reason_code LIMIT ?
                    """,
                    listLimit);
            List<NodeView> heldNodes =
                NodeQueries.nodes(
                    connection,
                    "WHERE action = 'held' ORDER BY last_seen DESC, node LIMIT ?",
                    List.of(listLimit));
            int staleTotal = staleByChannel.values().stream().mapToInt(Integer::intValue).sum();
            List<NodeView> staleNodes =
                NodeQueries.nodes(
                    connection,
                    "WHERE last_seen < ? ORDER BY last_seen, node LIMIT ?",
                    List.of(since, listLimit));
            return new Aggregates(
                channels,
                versions,
                actions,
                failureReasons,
                recentFailures,
                heldReasons,
                heldNodes,
                staleTotal,
                staleNodes);
          } finally {
            connection.commit();
            connection.setAutoCommit(true);
          }
        });
  }

  private static String nullIfBlank(String text) {
    return text == null || text.isEmpty() ? null : text;
  }

  private static List<FleetSummary.ReasonCount> reasons(
      Connection connection, String sql, int limit) throws SQLException {
    List<FleetSummary.ReasonCount> result = new ArrayList<>();
    try (PreparedStatement s = connection.prepareStatement(sql)) {
      s.setInt(1, limit);
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          result.add(
              new FleetSummary.ReasonCount(
                  rows.getString(1),
                  nullIfBlank(rows.getString(2)),
                  nullIfBlank(rows.getString(3)),
                  rows.getInt(4),
                  rows.getString(5)));
        }
      }
    }
    return result;
  }

  /** Reads one row, to show the database answers. */
  void ping() {
    database.read(
        connection -> {
          try (PreparedStatement s = connection.prepareStatement("SELECT 1 FROM nodes LIMIT 1");
              ResultSet rows = s.executeQuery()) {
            return rows.next();
          }
        });
  }
}
