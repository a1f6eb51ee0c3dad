package dev.sluice.web.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The public key pinned to each node id: the first key a node signed a report with (trust on first
 * use). Reads and writes happen on the connection of the transaction that stores the report, so two
 * first reports with different keys cannot both win.
 */
final class NodeKeyStore {

  static final String MIGRATION =
      """
      CREATE TABLE node_keys (
        node TEXT PRIMARY KEY,
        public_key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        pinned_at INTEGER NOT NULL
      ) STRICT;
      """;

  private NodeKeyStore() {}

  /** A pinned key: its base64 encoding and its fingerprint. */
  record Pinned(String publicKey, String fingerprint) {}

  static final String FIND = "SELECT public_key, fingerprint FROM node_keys WHERE node = ?";

  static final String PIN =
      """
      INSERT INTO node_keys (node, public_key, fingerprint, pinned_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (node) DO NOTHING
      """;

  static Optional<Pinned> find(Connection connection, String node) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement(FIND)) {
      return find(s, node);
    }
  }

  /** {@link #find} with a statement prepared from {@link #FIND}, for a batch. */
  static Optional<Pinned> find(PreparedStatement s, String node) throws SQLException {
    s.setString(1, node);
    try (ResultSet rows = s.executeQuery()) {
      return rows.next()
          ? Optional.of(new Pinned(rows.getString(1), rows.getString(2)))
          : Optional.empty();
    }
  }

  /** Pins with a statement prepared from {@link #PIN}. */
  static void pin(PreparedStatement s, String node, Pinned key, Instant now) throws SQLException {
    s.setString(1, node);
    s.setString(2, key.publicKey());
    s.setString(3, key.fingerprint());
    s.setLong(4, now.toEpochMilli());
    s.executeUpdate();
  }

  static boolean unpin(Connection connection, String node) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement("DELETE FROM node_keys WHERE node = ?")) {
      s.setString(1, node);
      return s.executeUpdate() > 0;
    }
  }
}
