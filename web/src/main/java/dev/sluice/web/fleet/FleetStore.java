package dev.sluice.web.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.sluice.core.json.Json;
import dev.sluice.core.report.NodeReport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * All SQL of the fleet dashboard: the latest report per node, the daily adoption counts, and the
 * aggregate queries behind the API. Writes go through the database's single writer connection.
 */
public final class FleetStore {

  /** Adoption rows older than this many days are dropped. */
  static final int HISTORY_DAYS = 400;

  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private static final String NODE_COLUMNS =
      """
      node, channel, preprod, groups, version, current_commit, target_commit, action, message,
      reason_code, reason_text, ticket, finished_at, last_seen, name, updater_version
      """;

  private final FleetDatabase database;
  private final boolean reportTimes;

  public FleetStore(FleetDatabase database) {
    this(database, false);
  }

  /**
   * @param reportTimes judge promotion health by the times in the reports (when a node's first
   *     report and its stored report finished) instead of when they arrived: only for simulations
   *     whose clock is not the dashboard's, since it lets a sender backdate a new node id
   */
  public FleetStore(FleetDatabase database, boolean reportTimes) {
    this.database = database;
    this.reportTimes = reportTimes;
  }

  /** What became of one report handed to {@link #save}. */
  public enum Outcome {
    STORED,
    /** Older than the node's last stored report: ignored. */
    OUT_OF_ORDER,
    /** The node id has a pinned key and the report is not signed: refused. */
    UNSIGNED,
    /** The node id has a pinned key and the report is signed by another: refused. */
    OTHER_KEY
  }

  /**
   * The key of a node in {@code fleet_counts}: what the summary groups by. Nulls are stored as
   * empty strings so that they can be part of the primary key.
   */
  private record Group(
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

  private record Previous(long finishedAt, Group group) {}

  /** Stores a batch of reports in one transaction, in order, and says what became of each. */
  public List<Outcome> save(List<ReceivedReport> reports, Instant now) {
    synchronized (database) {
      Connection connection = database.writer();
      try {
        connection.setAutoCommit(false);
        List<Outcome> outcomes = new ArrayList<>(reports.size());
        try (PreparedStatement previous = connection.prepareStatement(PREVIOUS);
            PreparedStatement upsert = connection.prepareStatement(UPSERT);
            PreparedStatement seen = connection.prepareStatement(SEEN);
            PreparedStatement upsertReport = connection.prepareStatement(UPSERT_REPORT);
            PreparedStatement count = connection.prepareStatement(COUNT_ADD);
            PreparedStatement adopt = connection.prepareStatement(ADOPTION_ADD);
            PreparedStatement findKey = connection.prepareStatement(NodeKeyStore.FIND);
            PreparedStatement pinKey = connection.prepareStatement(NodeKeyStore.PIN);
            PreparedStatement pruneCounts =
                connection.prepareStatement("DELETE FROM fleet_counts WHERE nodes <= 0");
            PreparedStatement pruneAdoption =
                connection.prepareStatement("DELETE FROM adoption WHERE day < ? OR nodes <= 0")) {
          for (ReceivedReport report : reports) {
            Optional<Outcome> refused = checkKey(findKey, pinKey, report, now);
            if (refused.isPresent()) {
              outcomes.add(refused.get());
              continue;
            }
            Optional<Previous> before = previous(previous, report.report().node());
            if (before.isPresent()
                && report.finishedAt().toEpochMilli() < before.get().finishedAt()) {
              // Its content is stale, but the node is alive.
              seen.setLong(1, report.receivedAt().toEpochMilli());
              seen.setString(2, report.report().node());
              seen.executeUpdate();
              outcomes.add(Outcome.OUT_OF_ORDER);
              continue;
            }
            bindUpsert(upsert, report);
            upsert.executeUpdate();
            NodeNames.put(connection, report.report().node(), report.report().name());
            upsertReport.setString(1, report.report().node());
            upsertReport.setString(2, Json.write(report.report()));
            upsertReport.executeUpdate();
            Group group = Group.of(report);
            if (before.isEmpty() || !before.get().group().equals(group)) {
              if (before.isPresent()) {
                addCount(count, before.get().group(), -1, null);
              }
              NodeReport.Reason reason = report.report().reason();
              addCount(count, group, 1, reason == null ? null : reason.text());
            }
            countAdoption(adopt, before, report);
            outcomes.add(Outcome.STORED);
          }
          pruneCounts.executeUpdate();
          pruneAdoption.setString(1, day(now.minus(Duration.ofDays(HISTORY_DAYS))));
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
   * reports signed by that key are stored. Unsigned reports are stored only for ids without a key.
   */
  private static Optional<Outcome> checkKey(
      PreparedStatement findKey, PreparedStatement pinKey, ReceivedReport report, Instant now)
      throws SQLException {
    String node = report.report().node();
    Optional<NodeKeyStore.Pinned> pinned = NodeKeyStore.find(findKey, node);
    ReportSigner signer = report.signer();
    if (pinned.isEmpty()) {
      if (signer != null) {
        NodeKeyStore.pin(
            pinKey, node, new NodeKeyStore.Pinned(signer.publicKey(), signer.fingerprint()), now);
      }
      return Optional.empty();
    }
    if (signer == null) {
      return Optional.of(Outcome.UNSIGNED);
    }
    return pinned.get().publicKey().equals(signer.publicKey())
        ? Optional.empty()
        : Optional.of(Outcome.OTHER_KEY);
  }

  /** The fingerprint of the key pinned to a node, if any. */
  public Optional<String> pinnedKey(String node) {
    return database.read(
        connection -> NodeKeyStore.find(connection, node).map(NodeKeyStore.Pinned::fingerprint));
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

  private static void autoCommit(Connection connection) {
    try {
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      // The connection is unusable; the next use reports it.
    }
  }

  private static final String PREVIOUS =
      """
      SELECT finished_at, channel, label, current_commit, action, reason_code, target_commit
      FROM nodes WHERE node = ?
      """;

  private static final String SEEN =
      "UPDATE nodes SET last_seen = max(last_seen, ?) WHERE node = ?";

  private static final String UPSERT_REPORT =
      """
      INSERT INTO reports (node, report) VALUES (?, ?)
      ON CONFLICT (node) DO UPDATE SET report = excluded.report
      """;

  private static final String COUNT_ADD =
      """
      INSERT INTO fleet_counts (channel, label, current_commit, action, reason_code, target_commit,
        nodes, example)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (channel, label, current_commit, action, reason_code, target_commit)
      DO UPDATE SET nodes = nodes + excluded.nodes, example = coalesce(excluded.example, example)
      """;

  private static void addCount(PreparedStatement s, Group group, int delta, String example)
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

  private static final String ADOPTION_ADD =
      """
      INSERT INTO adoption (day, channel, label, nodes) VALUES (?, ?, ?, ?)
      ON CONFLICT (day, channel, label) DO UPDATE SET nodes = nodes + excluded.nodes
      """;

  private static Optional<Previous> previous(PreparedStatement statement, String node)
      throws SQLException {
    statement.setString(1, node);
    try (ResultSet rows = statement.executeQuery()) {
      return rows.next()
          ? Optional.of(new Previous(rows.getLong(1), Group.read(rows, 2)))
          : Optional.empty();
    }
  }

  private static void bindUpsert(PreparedStatement s, ReceivedReport received) throws SQLException {
    NodeReport r = received.report();
    int i = 1;
    s.setString(i++, r.node());
    s.setString(i++, r.channel());
    s.setInt(i++, r.preprod() ? 1 : 0);
    s.setString(i++, Json.write(r.groups()));
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
    s.setString(i++, searchText(r));
    s.setLong(i++, received.receivedAt().toEpochMilli());
    s.setLong(i++, received.receivedAt().toEpochMilli());
    s.setLong(i++, received.finishedAt().toEpochMilli());
    s.setString(i++, r.name());
    s.setString(i++, r.updaterVersion());
    s.setString(i, r.remote());
  }

  private static String searchText(NodeReport r) {
    StringBuilder text = new StringBuilder(r.node());
    if (r.name() != null) {
      text.append('\n').append(r.name());
    }
    for (String group : r.groups()) {
      text.append('\n').append(group);
    }
    for (String part :
        new String[] {
          r.currentCommit(), r.target() == null ? null : r.target().commit(), r.version()
        }) {
      if (part != null) {
        text.append('\n').append(part);
      }
    }
    return text.toString().toLowerCase(Locale.ROOT);
  }

  /**
   * Keeps the daily adoption counts: each node counts once per day, for the channel and version of
   * its last report that day.
   */
  private static void countAdoption(
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

  private static void rollback(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      // Nothing more to undo: the original error is what matters.
    }
  }

  /** Forgets a node (its adoption history stays). Returns whether it was known. */
  public boolean delete(String node) {
    synchronized (database) {
      Connection connection = database.writer();
      try {
        connection.setAutoCommit(false);
        try (PreparedStatement previous = connection.prepareStatement(PREVIOUS);
            PreparedStatement deleteNode =
                connection.prepareStatement("DELETE FROM nodes WHERE node = ?");
            PreparedStatement deleteReport =
                connection.prepareStatement("DELETE FROM reports WHERE node = ?");
            PreparedStatement count = connection.prepareStatement(COUNT_ADD);
            PreparedStatement prune =
                connection.prepareStatement("DELETE FROM fleet_counts WHERE nodes <= 0")) {
          Optional<Previous> before = previous(previous, node);
          if (before.isPresent()) {
            NodeNames.remove(connection, node);
            deleteNode.setString(1, node);
            deleteNode.executeUpdate();
            deleteReport.setString(1, node);
            deleteReport.executeUpdate();
            NodeKeyStore.unpin(connection, node);
            addCount(count, before.get().group(), -1, null);
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

  /** The stored (validated, normalised) report of one node, as JSON. */
  public Optional<String> report(String node) {
    return database.read(
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement("SELECT report FROM reports WHERE node = ?")) {
            statement.setString(1, node);
            try (ResultSet rows = statement.executeQuery()) {
              return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
          }
        });
  }

  // ---- aggregates -------------------------------------------------------------------------

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
                nodes(
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
                nodes(
                    connection,
                    "WHERE action = 'held' ORDER BY last_seen DESC, node LIMIT ?",
                    List.of(listLimit));
            int staleTotal = staleByChannel.values().stream().mapToInt(Integer::intValue).sum();
            List<NodeView> staleNodes =
                nodes(
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

  private static List<NodeView> nodes(Connection connection, String tail, List<Object> parameters)
      throws SQLException {
    List<NodeView> result = new ArrayList<>();
    try (PreparedStatement s =
        connection.prepareStatement("SELECT " + NODE_COLUMNS + " FROM nodes " + tail)) {
      for (int i = 0; i < parameters.size(); i++) {
        s.setObject(i + 1, parameters.get(i));
      }
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          result.add(nodeView(rows));
        }
      }
    }
    return result;
  }

  private static NodeView nodeView(ResultSet rows) throws SQLException {
    String reasonCode = rows.getString("reason_code");
    double ticket = rows.getDouble("ticket");
    Double ticketOrNull = rows.wasNull() ? null : ticket;
    return new NodeView(
        rows.getString("node"),
        rows.getString("channel"),
        rows.getInt("preprod") != 0,
        groups(rows.getString("groups")),
        rows.getString("version"),
        rows.getString("current_commit"),
        rows.getString("target_commit"),
        rows.getString("action"),
        rows.getString("message"),
        reasonCode == null ? null : new NodeView.Reason(reasonCode, rows.getString("reason_text")),
        ticketOrNull,
        Instant.ofEpochMilli(rows.getLong("finished_at")),
        Instant.ofEpochMilli(rows.getLong("last_seen")),
        rows.getString("name"),
        rows.getString("updater_version"));
  }

  private static List<String> groups(String json) {
    try {
      return Json.mapper().readValue(json, STRINGS);
    } catch (JsonProcessingException e) {
      throw new StoreException("stored groups are not a JSON list: " + e.getOriginalMessage(), e);
    }
  }

  /** One filtered page of nodes in node-id order, with the number of matches. */
  public NodePage nodes(NodeQuery query) {
    StringBuilder where = new StringBuilder("WHERE 1 = 1");
    List<Object> parameters = new ArrayList<>();
    if (query.channel() != null) {
      where.append(" AND channel = ?");
      parameters.add(query.channel());
    }
    if (query.version() != null) {
      where.append(" AND label = ?");
      parameters.add(query.version());
    }
    if (query.action() != null) {
      where.append(" AND action = ?");
      parameters.add(query.action());
    }
    if (query.text() != null) {
      where.append(" AND search LIKE ? ESCAPE '\\'");
      parameters.add("%" + query.text().replaceAll("([\\\\%_])", "\\\\$1") + "%");
    }
    if (query.name() != null) {
      where.append(NodeNames.FILTER);
      parameters.addAll(List.of(NodeNames.bind(query.name())));
    }
    String filter = where.toString();
    return database.read(
        connection -> {
          connection.setAutoCommit(false);
          try {
            int total;
            try (PreparedStatement s =
                connection.prepareStatement("SELECT count(*) FROM nodes " + filter)) {
              for (int i = 0; i < parameters.size(); i++) {
                s.setObject(i + 1, parameters.get(i));
              }
              try (ResultSet rows = s.executeQuery()) {
                total = rows.next() ? rows.getInt(1) : 0;
              }
            }
            List<Object> pageParameters = new ArrayList<>(parameters);
            String pageFilter = filter;
            if (query.after() != null) {
              pageFilter += " AND node > ?";
              pageParameters.add(query.after());
            }
            pageParameters.add(query.limit() + 1);
            pageParameters.add(query.offset());
            List<NodeView> page =
                nodes(connection, pageFilter + " ORDER BY node LIMIT ? OFFSET ?", pageParameters);
            String next = null;
            if (page.size() > query.limit()) {
              page = page.subList(0, query.limit());
              next = page.get(page.size() - 1).node();
            }
            return new NodePage(total, query.offset(), query.limit(), page, next);
          } finally {
            connection.commit();
            connection.setAutoCommit(true);
          }
        });
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
