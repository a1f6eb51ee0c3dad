package dev.sluice.web.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The nodes' names (host name or {@code --node-name}) and the index that finds a node by any part
 * of its name: an FTS5 table with the trigram tokenizer, whose row id is the node's row in {@code
 * nodes}. Written on the connection of the transaction that stores the report.
 *
 * <p>A search of three characters or more is answered from the trigram index; a shorter one scans
 * that small table. The trigram index answers {@code LIKE} only without an {@code ESCAPE} clause,
 * so a {@code %} or {@code _} in the search widens the candidates and {@code instr} then keeps the
 * exact substring matches.
 */
final class NodeNames {

  static final String MIGRATION =
      """
      ALTER TABLE nodes ADD COLUMN name TEXT;
      ALTER TABLE nodes ADD COLUMN updater_version TEXT;
      ALTER TABLE nodes ADD COLUMN remote TEXT;
      CREATE VIRTUAL TABLE node_names USING fts5(name, node UNINDEXED, tokenize = 'trigram');
      """;

  /** The filter on {@code nodes} for a name search; its two parameters from {@link #bind}. */
  static final String FILTER =
      " AND node IN (SELECT node FROM node_names WHERE name LIKE ? AND instr(name, ?) > 0)";

  private NodeNames() {}

  /** Records {@code name} (or no name) as the name of the node stored under {@code node}. */
  static void put(Connection connection, String node, String name) throws SQLException {
    remove(connection, node);
    if (name == null) {
      return;
    }
    try (PreparedStatement s =
        connection.prepareStatement(
            "INSERT INTO node_names (rowid, name, node)"
                + " SELECT rowid, ?, node FROM nodes WHERE node = ?")) {
      s.setString(1, name.toLowerCase(Locale.ROOT));
      s.setString(2, node);
      s.executeUpdate();
    }
  }

  /** Forgets the name of {@code node}; call before its row in {@code nodes} is deleted. */
  static void remove(Connection connection, String node) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "DELETE FROM node_names WHERE rowid = (SELECT rowid FROM nodes WHERE node = ?)")) {
      s.setString(1, node);
      s.executeUpdate();
    }
  }

  /** The two parameters of {@link #FILTER} for a search text (already lower-case). */
  static Object[] bind(String text) {
    return new Object[] {"%" + text + "%", text};
  }
}
