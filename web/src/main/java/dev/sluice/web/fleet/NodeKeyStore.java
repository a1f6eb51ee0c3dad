package dev.sluice.web.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;

/**
 * The public key pinned to each node id: the first key a node signed a report with (trust on first
 * use), and the highest report sequence number accepted under it (so that a captured report sent
 * again is refused). Reads and writes happen on the connection of the transaction that stores the
 * report, so two first reports with different keys cannot both win.
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

  /** The last accepted sequence number per key; null until the node sends one (schema 2). */
  static final String SEQUENCE_MIGRATION = "ALTER TABLE node_keys ADD COLUMN sequence INTEGER;";

  private NodeKeyStore() {}

  /**
   * A pinned key: its base64 encoding, its fingerprint and the highest sequence number accepted
   * under it (null if the node never sent one).
   */
  record Pinned(String publicKey, String fingerprint, Long sequence) {}

  static final String FIND =
      "SELECT public_key, fingerprint, sequence FROM node_keys WHERE node = ?";

  static final String PIN =
      """
      INSERT INTO node_keys (node, public_key, fingerprint, pinned_at, sequence)
      VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (node) DO NOTHING
      """;

  static final String ADVANCE = "UPDATE node_keys SET sequence = ? WHERE node = ?";

  static Optional<Pinned> find(Connection connection, String node) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement(FIND)) {
      return find(s, node);
    }
  }

  /** {@link #find} with a statement prepared from {@link #FIND}, for a batch. */
  static Optional<Pinned> find(PreparedStatement s, String node) throws SQLException {
    s.setString(1, node);
    try (ResultSet rows = s.executeQuery()) {
      if (!rows.next()) {
        return Optional.empty();
      }
      long sequence = rows.getLong(3);
      Long last = rows.wasNull() ? null : sequence;
      return Optional.of(new Pinned(rows.getString(1), rows.getString(2), last));
    }
  }

  /** Pins with a statement prepared from {@link #PIN}. */
  static void pin(PreparedStatement s, String node, Pinned key, Instant now) throws SQLException {
    s.setString(1, node);
    s.setString(2, key.publicKey());
    s.setString(3, key.fingerprint());
    s.setLong(4, now.toEpochMilli());
    if (key.sequence() == null) {
      s.setNull(5, Types.INTEGER);
    } else {
      s.setLong(5, key.sequence());
    }
    s.executeUpdate();
  }

  /** Records the sequence number of an accepted report, with a statement from {@link #ADVANCE}. */
  static void advance(PreparedStatement s, String node, long sequence) throws SQLException {
    s.setLong(1, sequence);
    s.setString(2, node);
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
