package dev.sluice.updater.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** The node's key-value table: node id, lottery ticket, cached policy, and the like. */
public final class KeyValueStore {

  private final Connection connection;

  public KeyValueStore(Database database) {
    this.connection = database.connection();
  }

  public Optional<String> get(String key) {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT value FROM kv WHERE key = ?")) {
      statement.setString(1, key);
      try (ResultSet result = statement.executeQuery()) {
        return result.next() ? Optional.of(result.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StateException("cannot read '" + key + "' from the state file: " + e, e);
    }
  }

  public void put(String key, String value, Instant now) {
    try (PreparedStatement statement =
        connection.prepareStatement(
            """
            INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """)) {
      statement.setString(1, key);
      statement.setString(2, value);
      statement.setString(3, now.toString());
      statement.executeUpdate();
    } catch (SQLException e) {
      throw new StateException("cannot write '" + key + "' to the state file: " + e, e);
    }
  }

  /** Writes several keys in one transaction, so a crash never leaves half of them. */
  public void putAll(Map<String, String> values, Instant now) {
    try {
      connection.setAutoCommit(false);
      try {
        for (Map.Entry<String, String> entry : values.entrySet()) {
          put(entry.getKey(), entry.getValue(), now);
        }
        connection.commit();
      } catch (RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StateException("cannot write to the state file: " + e, e);
    }
  }

  public void delete(String key) {
    try (PreparedStatement statement =
        connection.prepareStatement("DELETE FROM kv WHERE key = ?")) {
      statement.setString(1, key);
      statement.executeUpdate();
    } catch (SQLException e) {
      throw new StateException("cannot delete '" + key + "' from the state file: " + e, e);
    }
  }
}
