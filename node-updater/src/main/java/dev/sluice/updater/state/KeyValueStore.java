package dev.sluice.updater.state;

import dev.sluice.sqlite.Rows;
import dev.sluice.sqlite.Sqlite;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The node's key-value table, and the only class that reads or writes it: node id, lottery ticket,
 * cached policy, run counters and the like. Writes made while another store holds a transaction on
 * the same database join that transaction.
 */
public final class KeyValueStore {

  private static final String UPSERT =
      """
      INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
      """;

  private final Connection connection;

  public KeyValueStore(Database database) {
    this(database.connection());
  }

  KeyValueStore(Connection connection) {
    this.connection = connection;
  }

  public Optional<String> get(String key) {
    try {
      return Rows.first(
          connection, "SELECT value FROM kv WHERE key = ?", row -> row.getString(1), key);
    } catch (SQLException e) {
      throw new StateException("cannot read '" + key + "' from the state file: " + e, e);
    }
  }

  /** Every key that starts with {@code prefix}, without the prefix, and its value. */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> values = new TreeMap<>();
    try {
      for (String[] entry :
          Rows.list(
              connection,
              "SELECT key, value FROM kv WHERE substr(key, 1, length(?)) = ?",
              row -> new String[] {row.getString(1), row.getString(2)},
              prefix,
              prefix)) {
        values.put(entry[0].substring(prefix.length()), entry[1]);
      }
      return values;
    } catch (SQLException e) {
      throw new StateException("cannot read '" + prefix + "*' from the state file: " + e, e);
    }
  }

  public void put(String key, String value, Instant now) {
    try {
      Rows.update(connection, UPSERT, key, value, now.toString());
    } catch (SQLException e) {
      throw new StateException("cannot write '" + key + "' to the state file: " + e, e);
    }
  }

  /** Adds one to a counter kept as a decimal string, starting from 0. */
  public void increment(String key, Instant now) {
    try {
      Rows.update(
          connection,
          """
          INSERT INTO kv (key, value, updated_at) VALUES (?, '1', ?)
          ON CONFLICT (key) DO UPDATE
            SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT), updated_at = excluded.updated_at
          """,
          key,
          now.toString());
    } catch (SQLException e) {
      throw new StateException("cannot count '" + key + "' in the state file: " + e, e);
    }
  }

  /**
   * Raises a counter kept as a decimal string to the larger of its value plus one and {@code
   * floor}, and returns the new value. One statement, so two processes racing here get different
   * numbers.
   */
  public long advance(String key, long floor, Instant now) {
    try {
      return Rows.first(
              connection,
              """
              INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?)
              ON CONFLICT (key) DO UPDATE SET
                value = max(CAST(value AS INTEGER) + 1, CAST(excluded.value AS INTEGER)),
                updated_at = excluded.updated_at
              RETURNING CAST(value AS INTEGER)
              """,
              row -> row.getLong(1),
              key,
              Long.toString(floor),
              now.toString())
          .orElseThrow(() -> new SQLException("no value returned for " + key));
    } catch (SQLException e) {
      throw new StateException("cannot advance '" + key + "' in the state file: " + e, e);
    }
  }

  /** Writes several keys in one transaction, so a crash never leaves half of them. */
  public void putAll(Map<String, String> values, Instant now) {
    try {
      Sqlite.inTransaction(
          connection,
          c -> {
            for (Map.Entry<String, String> entry : values.entrySet()) {
              put(entry.getKey(), entry.getValue(), now);
            }
            return null;
          });
    } catch (SQLException e) {
      throw new StateException("cannot write to the state file: " + e, e);
    }
  }

  public void delete(String key) {
    try {
      Rows.update(connection, "DELETE FROM kv WHERE key = ?", key);
    } catch (SQLException e) {
      throw new StateException("cannot delete '" + key + "' from the state file: " + e, e);
    }
  }
}
