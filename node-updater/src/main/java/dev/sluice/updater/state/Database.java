package dev.sluice.updater.state;

import dev.sluice.core.text.Show;
import dev.sluice.sqlite.ConnectionSettings;
import dev.sluice.sqlite.Rows;
import dev.sluice.sqlite.Schema;
import dev.sluice.sqlite.Sqlite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's state database: one SQLite file holding the key-value table, the run history and the
 * apply journal. Owns the connection settings (WAL, busy timeout, foreign keys) and the schema
 * migrations keyed on {@code PRAGMA user_version}.
 *
 * <p>A file that SQLite cannot read is moved aside (never silently ignored) and a new one is made;
 * a file written by a newer schema is refused.
 */
public final class Database implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  /** Migrations in order; index i takes the schema from version i to i + 1. */
  private static final List<String> MIGRATIONS =
      List.of(
          """
          CREATE TABLE kv (
            key        TEXT PRIMARY KEY,
            value      TEXT NOT NULL,
            updated_at TEXT NOT NULL
          ) STRICT;
          CREATE TABLE runs (
            id              INTEGER PRIMARY KEY,
            started_at      TEXT NOT NULL,
            finished_at     TEXT NOT NULL,
            channel         TEXT NOT NULL,
            action          TEXT NOT NULL,
            previous_commit TEXT,
            current_commit  TEXT,
            target_ref      TEXT,
            target_commit   TEXT,
            message         TEXT NOT NULL,
            report          TEXT NOT NULL
          ) STRICT;
          CREATE INDEX runs_by_time ON runs (finished_at);
          """,
          """
          CREATE TABLE journal (
            id          INTEGER PRIMARY KEY,
            started_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL,
            channel     TEXT NOT NULL,
            target_ref  TEXT NOT NULL,
            from_commit TEXT,
            to_commit   TEXT NOT NULL,
            step        TEXT NOT NULL,
            detail      TEXT
          ) STRICT;
          CREATE TABLE journal_steps (
            id         INTEGER PRIMARY KEY,
            journal_id INTEGER NOT NULL REFERENCES journal (id) ON DELETE CASCADE,
            at         TEXT NOT NULL,
            step       TEXT NOT NULL,
            detail     TEXT
          ) STRICT;
          CREATE INDEX journal_steps_by_journal ON journal_steps (journal_id);
          CREATE TABLE failed_commits (
            commit_id      TEXT PRIMARY KEY,
            attempts       INTEGER NOT NULL,
            last_reason    TEXT NOT NULL,
            last_failed_at TEXT NOT NULL
          ) STRICT;
          """,
          NodeKeyStore.MIGRATION);

  private static final Schema SCHEMA = new Schema("state file", 0, MIGRATIONS);

  public static final int SCHEMA_VERSION = SCHEMA.latest();

  private static final DateTimeFormatter ASIDE_STAMP = Show.COMPACT_TIME;

  private final Path file;
  private final Connection connection;
  private final Optional<Path> movedAside;

  private Database(Path file, Connection connection, Optional<Path> movedAside) {
    this.file = file;
    this.connection = connection;
    this.movedAside = movedAside;
  }

  /**
   * Opens (creating if needed) and migrates the state database. A damaged file is moved to {@code
   * <file>.corrupt-<time>} and replaced by a new one; {@link #movedAside()} says where it went.
   *
   * @throws StateException if the file was written by a newer schema, or cannot be created
   */
  public static Database open(Path file, Instant now) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new StateException("cannot create folder for state file " + file + ": " + e, e);
    }
    try {
      return new Database(file, connectAndMigrate(file), Optional.empty());
    } catch (CorruptStateException corrupt) {
      Path aside = moveAside(file, now);
      LOG.warn(
          "state file {} is damaged ({}); moved it to {} and started a new one",
          file,
          corrupt.getMessage(),
          aside);
      try {
        return new Database(file, connectAndMigrate(file), Optional.of(aside));
      } catch (CorruptStateException again) {
        throw new StateException("cannot create a new state file " + file + ": " + again, again);
      }
    }
  }

  /**
   * Opens an existing state file for reading only (the info endpoint): no migration, no repair,
   * nothing written; a file from a newer schema is refused.
   *
   * @throws StateException when the file is missing, unreadable or too new
   */
  public static Database openReadOnly(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new StateException("no state file at " + file + ": node-updater has not run here yet");
    }
    try {
      Connection connection = Sqlite.connect(file, ConnectionSettings.readOnly());
      int version;
      try {
        version = Sqlite.userVersion(connection);
      } catch (SQLException e) {
        connection.close();
        throw e;
      }
      if (version != SCHEMA_VERSION) {
        connection.close();
        throw new StateException(
            "state file "
                + file
                + " has schema "
                + version
                + ", this node-updater reads "
                + SCHEMA_VERSION);
      }
      return new Database(file, connection, Optional.empty());
    } catch (SQLException e) {
      throw new StateException("cannot read state file " + file + ": " + e.getMessage(), e);
    }
  }

  private static Connection connectAndMigrate(Path file) throws CorruptStateException {
    Connection connection = null;
    try {
      // Durable: a journal step that was written survives a power cut, not only a killed process.
      connection = Sqlite.connect(file, ConnectionSettings.durable());
      checkReadable(connection);
      migrate(connection, file);
      return connection;
    } catch (SQLException e) {
      Sqlite.closeQuietly(connection);
      if (isCorruption(e)) {
        throw new CorruptStateException(e.getMessage(), e);
      }
      throw new StateException("cannot open state file " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      Sqlite.closeQuietly(connection);
      throw e;
    }
  }

  private static void checkReadable(Connection connection) throws SQLException {
    List<String> problems =
        Rows.list(connection, "PRAGMA quick_check", row -> row.getString(1)).stream()
            .filter(line -> !"ok".equalsIgnoreCase(line))
            .toList();
    if (!problems.isEmpty()) {
      throw new SQLException("integrity check failed: " + String.join("; ", problems), "", 11);
    }
  }

  private static void migrate(Connection connection, Path file) throws SQLException {
    int version = Sqlite.userVersion(connection);
    if (version > SCHEMA_VERSION) {
      throw new StateException(
          "state file "
              + file
              + " was written by a newer node-updater (schema "
              + version
              + ", this one knows up to "
              + SCHEMA_VERSION
              + "); refusing to touch it");
    }
    if (Sqlite.migrate(connection, SCHEMA, version)) {
      LOG.info("state file {} migrated from schema {} to {}", file, version, SCHEMA_VERSION);
    }
  }

  private static boolean isCorruption(SQLException e) {
    int code = e.getErrorCode();
    String message = String.valueOf(e.getMessage());
    // SQLITE_CORRUPT (11) and SQLITE_NOTADB (26), as codes or in the driver's message.
    return code == 11
        || code == 26
        || message.contains("SQLITE_CORRUPT")
        || message.contains("SQLITE_NOTADB")
        || message.contains("file is not a database")
        || message.contains("malformed");
  }

  private static Path moveAside(Path file, Instant now) {
    Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + ASIDE_STAMP.format(now));
    try {
      Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
      for (String suffix : List.of("-wal", "-shm")) {
        Path side = file.resolveSibling(file.getFileName() + suffix);
        if (Files.exists(side)) {
          Files.move(
              side,
              aside.resolveSibling(aside.getFileName() + suffix),
              StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return aside;
    } catch (IOException e) {
      throw new StateException(
          "state file " + file + " is damaged and cannot be moved aside: " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  public Connection connection() {
    return connection;
  }

  /** Where a damaged state file was moved when this database was opened, if it was. */
  public Optional<Path> movedAside() {
    return movedAside;
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new StateException("cannot close state file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Signals a file SQLite cannot read as a database. */
  private static final class CorruptStateException extends Exception {
    private static final long serialVersionUID = 1L;

    CorruptStateException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
