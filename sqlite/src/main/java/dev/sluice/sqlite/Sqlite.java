package dev.sluice.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Opening connections, reading pragmas, running migrations and transactions. */
public final class Sqlite {

  private Sqlite() {}

  /** Opens a connection to {@code file} with {@code settings}. */
  public static Connection connect(Path file, ConnectionSettings settings) throws SQLException {
    return settings.toConfig().createConnection("jdbc:sqlite:" + file.toAbsolutePath());
  }

  /** The file's {@code PRAGMA user_version}: which migrations have run. */
  public static int userVersion(Connection connection) throws SQLException {
    return intPragma(connection, "user_version");
  }

  /** The file's {@code PRAGMA application_id}: which program's file it is, 0 if unmarked. */
  public static int applicationId(Connection connection) throws SQLException {
    return intPragma(connection, "application_id");
  }

  private static int intPragma(Connection connection, String name) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("PRAGMA " + name)) {
      return result.next() ? result.getInt(1) : 0;
    }
  }

  /** Whether the file holds a table of each of these names. */
  public static boolean hasTables(Connection connection, String... names) throws SQLException {
    for (String name : names) {
      boolean found =
          Rows.first(
                  connection,
                  "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                  row -> true,
                  name)
              .isPresent();
      if (!found) {
        return false;
      }
    }
    return true;
  }

  /** Whether the file holds anything at all (tables, indexes, views, triggers). */
  public static boolean isEmpty(Connection connection) throws SQLException {
    return Rows.first(connection, "SELECT 1 FROM sqlite_master LIMIT 1", row -> true).isEmpty();
  }

  /**
   * Runs the migrations from version {@code from} to the schema's latest in one transaction, then
   * marks the file with the schema's application id and version. Each script goes to SQLite whole
   * ({@code sqlite3_exec}), so a trigger body or a string literal may hold {@code ;}. Nothing is
   * changed if any script fails.
   *
   * @return whether anything was migrated
   */
  public static boolean migrate(Connection connection, Schema schema, int from)
      throws SQLException {
    if (from >= schema.latest()) {
      return false;
    }
    inTransaction(
        connection,
        c -> {
          try (Statement statement = c.createStatement()) {
            for (int step = from; step < schema.latest(); step++) {
              statement.executeUpdate(schema.migrations().get(step));
            }
            if (schema.applicationId() != 0) {
              statement.executeUpdate("PRAGMA application_id = " + schema.applicationId());
            }
            statement.executeUpdate("PRAGMA user_version = " + schema.latest());
          }
          return null;
        });
    return true;
  }

  /**
   * Runs {@code work} in one transaction on a connection in auto-commit mode: committed when it
   * returns, rolled back when it throws, auto-commit restored either way.
   */
  public static <T> T inTransaction(Connection connection, SqlWork<T> work) throws SQLException {
    connection.setAutoCommit(false);
    try {
      T result = work.apply(connection);
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException | Error e) {
      try {
        connection.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  /** Closes {@code connection}, keeping a failure to close from hiding the one being reported. */
  public static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException ignored) {
      // The caller is already reporting the failure that matters.
    }
  }

  /** The first line of a driver message, which may run over several. */
  public static String firstLine(String text) {
    if (text == null) {
      return "unknown error";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
