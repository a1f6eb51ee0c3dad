package dev.sluice.updater.state;

import dev.sluice.core.report.ReportSignature;
import dev.sluice.sqlite.Rows;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The node's report-signing key pair (Ed25519), made on first use and kept in the state file. The
 * fleet dashboard pins the public key to the node id the first time it sees it, so losing this row
 * (a reinstalled node) needs an operator to re-enrol the node there.
 */
public final class NodeKeyStore {

  /** The table, as a schema migration of {@link Database}. */
  static final String MIGRATION =
      """
      CREATE TABLE node_key (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        public_key  BLOB NOT NULL,
        private_key BLOB NOT NULL,
        created_at  TEXT NOT NULL
      ) STRICT;
      """;

  private final Connection connection;

  public NodeKeyStore(Database database) {
    this.connection = database.connection();
  }

  /** The stored key pair, if one was made. */
  public Optional<KeyPair> find() {
    try {
      return Rows.first(
          connection,
          "SELECT public_key, private_key FROM node_key WHERE id = 1",
          row -> ReportSignature.decodeKeyPair(row.getBytes(1), row.getBytes(2)));
    } catch (SQLException | IllegalArgumentException e) {
      throw new StateException("cannot read the node's signing key from the state file: " + e, e);
    }
  }

  /**
   * The stored key pair, made and stored first if there is none. Two processes racing here end up
   * with the same key: the first insert wins and both read it back.
   */
  public KeyPair findOrCreate(Instant now) {
    Optional<KeyPair> existing = find();
    if (existing.isPresent()) {
      return existing.get();
    }
    KeyPair fresh = ReportSignature.generate();
    try {
      Rows.update(
          connection,
          """
          INSERT INTO node_key (id, public_key, private_key, created_at) VALUES (1, ?, ?, ?)
          ON CONFLICT (id) DO NOTHING
          """,
          fresh.getPublic().getEncoded(),
          fresh.getPrivate().getEncoded(),
          now.toString());
    } catch (SQLException e) {
      throw new StateException("cannot store the node's signing key in the state file: " + e, e);
    }
    return find().orElseThrow();
  }

  /** The key-value row that holds the sequence number of the last report sent. */
  static final String SEQUENCE_KEY = "report.sequence";

  /**
   * Reserves the sequence number of the next report: the larger of the last one plus one and the
   * time in milliseconds, stored before the report leaves so that no two reports ever carry the
   * same number. The time keeps a state file restored from a backup ahead of what the dashboard
   * already saw; the stored number keeps the sequence rising when the clock goes back. One
   * statement, so two processes racing here get different numbers.
   */
  public long nextSequence(Instant now) {
    return new KeyValueStore(connection)
        .advance(SEQUENCE_KEY, Math.max(1, now.toEpochMilli()), now);
  }
}
