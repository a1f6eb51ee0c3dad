package dev.sluice.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prepared statements with positional parameters, and row mappers instead of hand-written
 * result-set loops. Parameters go through {@link PreparedStatement#setObject}: strings, numbers,
 * byte arrays and {@code null}.
 */
public final class Rows {

  private Rows() {}

  /** Every row of the query, mapped. */
  public static <T> List<T> list(
      Connection connection, String sql, RowMapper<T> mapper, Object... parameters)
      throws SQLException {
    try (PreparedStatement statement = prepare(connection, sql, parameters);
        ResultSet rows = statement.executeQuery()) {
      List<T> result = new ArrayList<>();
      while (rows.next()) {
        result.add(mapper.map(rows));
      }
      return result;
    }
  }

  /** The first row of the query, mapped, if there is one. */
  public static <T> Optional<T> first(
      Connection connection, String sql, RowMapper<T> mapper, Object... parameters)
      throws SQLException {
    try (PreparedStatement statement = prepare(connection, sql, parameters)) {
      statement.setMaxRows(1);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? Optional.ofNullable(mapper.map(rows)) : Optional.empty();
      }
    }
  }

  /** Runs an insert, update or delete; returns the number of rows it changed. */
  public static int update(Connection connection, String sql, Object... parameters)
      throws SQLException {
    try (PreparedStatement statement = prepare(connection, sql, parameters)) {
      return statement.executeUpdate();
    }
  }

  /** Runs an insert and returns the row id SQLite gave the new row. */
  public static long insert(Connection connection, String sql, Object... parameters)
      throws SQLException {
    try (PreparedStatement statement = prepare(connection, sql, parameters)) {
      statement.executeUpdate();
    }
    return first(connection, "SELECT last_insert_rowid()", row -> row.getLong(1))
        .orElseThrow(() -> new SQLException("no row id after insert"));
  }

  private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
      throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    try {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      return statement;
    } catch (SQLException | RuntimeException e) {
      statement.close();
      throw e;
    }
  }
}
