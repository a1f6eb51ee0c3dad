package dev.sluice.web.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.sluice.core.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads single nodes: a filtered page of the node list, one node's stored report and its pinned
 * key. Also owns the mapping of a {@code nodes} row to a {@link NodeView}.
 */
public final class NodeQueries {

  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private static final String NODE_COLUMNS =
      """
      node, channel, preprod, groups, version, current_commit, target_commit, action, message,
      reason_code, reason_text, ticket, finished_at, last_seen, name, updater_version
      """;

  private final FleetDatabase database;

  public NodeQueries(FleetDatabase database) {
    this.database = database;
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

  /** The fingerprint of the key pinned to a node, if any. */
  public Optional<String> pinnedKey(String node) {
    return database.read(
        connection -> NodeKeyStore.find(connection, node).map(NodeKeyStore.Pinned::fingerprint));
  }

  /** The nodes matching {@code tail} (a WHERE/ORDER/LIMIT clause over {@code nodes}). */
  static List<NodeView> nodes(Connection connection, String tail, List<Object> parameters)
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
}
