package dev.sluice.web.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.sluice.core.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the channel cards count among the active nodes (those heard from within the stale-after
 * time, as in the fleet summary): nodes per channel, nodes per channel still running some commits
 * (a phased rollout's release, the dead-ends) and nodes per channel and set of groups (for frozen
 * groups and the lottery's group weights).
 *
 * <p>Channel and commit counts come from {@code fleet_counts} minus the silent nodes, found through
 * the {@code last_seen} index, so they do not grow with the fleet. The group sets are one pass over
 * the table ({@code NOT INDEXED}: the active nodes are most of the fleet, and reaching each row
 * through the {@code last_seen} index cost five times as much at 100,000 nodes), so they are read
 * only when asked for: the channel cards ask when the policy names groups, and at most once per
 * read of the remote.
 */
public final class ActiveCounts {

  /** The most commits, or node ids, one question may name. */
  public static final int MAX_NAMES = 200;

  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private final FleetDatabase database;
  private final Clock clock;
  private final Duration staleAfter;

  /**
   * @param staleAfter nodes silent for longer are not active (the fleet summary's stale-after)
   */
  public ActiveCounts(FleetDatabase database, Clock clock, Duration staleAfter) {
    this.database = Objects.requireNonNull(database, "database");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (staleAfter.isNegative() || staleAfter.isZero()) {
      throw new IllegalArgumentException("stale-after must be positive");
    }
    this.staleAfter = staleAfter;
  }

  /**
   * The active nodes of one channel in one set of groups.
   *
   * @param groups the node's groups as it reported them, sorted
   */
  public record GroupSet(String channel, List<String> groups, int nodes) {
    public GroupSet {
      Objects.requireNonNull(channel, "channel");
      groups = List.copyOf(groups);
    }
  }

  /**
   * The counts at one moment.
   *
   * @param activeSince nodes heard from at or after this instant are active
   * @param activeNodes active nodes per channel
   * @param onCommit active nodes per channel and current commit, for the commits asked about
   * @param groupSets active nodes per channel and set of groups; nodes without groups are left out
   * @param nodeChannels the channel of each active node asked about, by node id
   */
  public record Snapshot(
      Instant activeSince,
      Map<String, Integer> activeNodes,
      Map<String, Map<String, Integer>> onCommit,
      List<GroupSet> groupSets,
      Map<String, String> nodeChannels) {
    public Snapshot {
      Objects.requireNonNull(activeSince, "activeSince");
      activeNodes = Map.copyOf(activeNodes);
      Map<String, Map<String, Integer>> copy = new HashMap<>();
      onCommit.forEach((channel, commits) -> copy.put(channel, Map.copyOf(commits)));
      onCommit = Collections.unmodifiableMap(copy);
      groupSets = List.copyOf(groupSets);
      nodeChannels = Map.copyOf(nodeChannels);
    }

    /** Active nodes of a channel. */
    public int active(String channel) {
      return activeNodes.getOrDefault(channel, 0);
    }

    /** Active nodes of a channel whose current commit is {@code commit} (0 when not asked). */
    public int on(String channel, String commit) {
      return onCommit.getOrDefault(channel, Map.of()).getOrDefault(commit, 0);
    }

    /** Active nodes, all channels. */
    public int active() {
      return activeNodes.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /**
   * Counts the active nodes now.
   *
   * @param commits full commit ids whose nodes are counted per channel (at most {@value
   *     #MAX_NAMES})
   * @param nodes node ids whose channel is wanted, if they are active (at most {@value #MAX_NAMES})
   * @param withGroupSets whether to count the group sets (one pass over the nodes); without, the
   *     snapshot has none
   */
  public Snapshot read(
      Collection<String> commits, Collection<String> nodes, boolean withGroupSets) {
    List<String> wanted = new ArrayList<>(new TreeSet<>(commits));
    List<String> ids = new ArrayList<>(new TreeSet<>(nodes));
    if (wanted.size() > MAX_NAMES || ids.size() > MAX_NAMES) {
      throw new IllegalArgumentException(
          "at most " + MAX_NAMES + " commits and " + MAX_NAMES + " node ids per question");
    }
    Instant since = clock.instant().minus(staleAfter);
    long sinceMillis = since.toEpochMilli();
    return database.read(
        connection -> {
          connection.setAutoCommit(false);
          try {
            Map<String, Map<String, Integer>> stale = stale(connection, sinceMillis);
            Map<String, Integer> active = new TreeMap<>();
            try (PreparedStatement s =
                    connection.prepareStatement(
                        "SELECT channel, sum(nodes) FROM fleet_counts GROUP BY channel");
                ResultSet rows = s.executeQuery()) {
              while (rows.next()) {
                String channel = rows.getString(1);
                int silent =
                    stale.getOrDefault(channel, Map.of()).values().stream()
                        .mapToInt(Integer::intValue)
                        .sum();
                active.put(channel, Math.max(0, rows.getInt(2) - silent));
              }
            }
            Map<String, Map<String, Integer>> onCommit = new TreeMap<>();
            if (!wanted.isEmpty()) {
              String marks = String.join(", ", Collections.nCopies(wanted.size(), "?"));
              try (PreparedStatement s =
                  connection.prepareStatement(
                      "SELECT channel, current_commit, sum(nodes) FROM fleet_counts"
                          + " WHERE current_commit IN ("
                          + marks
                          + ") GROUP BY channel, current_commit")) {
                for (int i = 0; i < wanted.size(); i++) {
                  s.setString(i + 1, wanted.get(i));
                }
                try (ResultSet rows = s.executeQuery()) {
                  while (rows.next()) {
                    String channel = rows.getString(1);
                    String commit = rows.getString(2);
                    int silent = stale.getOrDefault(channel, Map.of()).getOrDefault(commit, 0);
                    onCommit
                        .computeIfAbsent(channel, c -> new TreeMap<>())
                        .put(commit, Math.max(0, rows.getInt(3) - silent));
                  }
                }
              }
            }
            return new Snapshot(
                since,
                active,
                onCommit,
                withGroupSets ? groupSets(connection, sinceMillis) : List.of(),
                nodeChannels(connection, ids, sinceMillis));
          } finally {
            connection.commit();
            connection.setAutoCommit(true);
          }
        });
  }

  /** Silent nodes per channel and current commit: few, found through the last-seen index. */
  private static Map<String, Map<String, Integer>> stale(Connection connection, long since)
      throws SQLException {
    Map<String, Map<String, Integer>> stale = new HashMap<>();
    try (PreparedStatement s =
        connection.prepareStatement(
            """
            SELECT channel, coalesce(current_commit, ''), count(*)
            FROM nodes INDEXED BY nodes_by_seen
            WHERE last_seen < ? GROUP BY channel, current_commit
            """)) {
      s.setLong(1, since);
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          stale
              .computeIfAbsent(rows.getString(1), c -> new HashMap<>())
              .merge(rows.getString(2), rows.getInt(3), Integer::sum);
        }
      }
    }
    return stale;
  }

  private static List<GroupSet> groupSets(Connection connection, long since) throws SQLException {
    List<GroupSet> sets = new ArrayList<>();
    try (PreparedStatement s =
        connection.prepareStatement(
            """
            SELECT channel, groups, count(*) FROM nodes NOT INDEXED
            WHERE last_seen >= ? AND groups <> '[]'
            GROUP BY channel, groups ORDER BY channel, groups
            """)) {
      s.setLong(1, since);
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          sets.add(new GroupSet(rows.getString(1), groups(rows.getString(2)), rows.getInt(3)));
        }
      }
    }
    return sets;
  }

  private static Map<String, String> nodeChannels(
      Connection connection, List<String> ids, long since) throws SQLException {
    Map<String, String> channels = new TreeMap<>();
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT channel FROM nodes WHERE node = ? AND last_seen >= ?")) {
      for (String id : ids) {
        s.setString(1, id);
        s.setLong(2, since);
        try (ResultSet rows = s.executeQuery()) {
          if (rows.next()) {
            channels.put(id, rows.getString(1));
          }
        }
      }
    }
    return channels;
  }

  private static List<String> groups(String json) {
    try {
      List<String> groups = Json.mapper().readValue(json, STRINGS);
      return groups == null ? List.of() : List.copyOf(new TreeSet<>(groups));
    } catch (JsonProcessingException e) {
      // Stored by the writer from a validated report; unreadable only if the file was edited.
      return List.of();
    }
  }
}
