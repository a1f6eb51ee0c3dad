package dev.sluice.web.fleet;

import dev.sluice.sqlite.ConnectionSettings;
import dev.sluice.sqlite.Schema;
import dev.sluice.sqlite.Sqlite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's SQLite file: connection settings (WAL, busy timeout), schema migrations keyed on
 * {@code PRAGMA user_version} and a small pool of read connections next to the one writer
 * connection.
 *
 * <p>A file written by a newer fleet-web, or one that is not a fleet-web database at all, is
 * refused with a {@link StoreException} that says so in one line.
 */
public final class FleetDatabase implements AutoCloseable {

  /** "SLWB": marks the file as a fleet-web database. */
  static final int APPLICATION_ID = 0x534C5742;

  private static final Logger LOG = LoggerFactory.getLogger(FleetDatabase.class);
  private static final int READERS = 4;

  private static final List<String> MIGRATIONS =
      List.of(
          """
          CREATE TABLE nodes (
            node TEXT PRIMARY KEY,
            channel TEXT NOT NULL,
            preprod INTEGER NOT NULL,
            groups TEXT NOT NULL,
            version TEXT,
            label TEXT NOT NULL,
            current_commit TEXT,
            previous_commit TEXT,
            target_ref TEXT,
            target_commit TEXT,
            action TEXT NOT NULL,
            message TEXT NOT NULL,
            reason_code TEXT,
            reason_text TEXT,
            ticket REAL,
            weight REAL,
            finished_at INTEGER NOT NULL,
            last_seen INTEGER NOT NULL,
            search TEXT NOT NULL
          ) STRICT;
          CREATE INDEX nodes_by_seen ON nodes (last_seen, channel);
          CREATE INDEX nodes_by_action ON nodes (action, last_seen);
          CREATE INDEX nodes_by_channel ON nodes (channel, node);
          CREATE TABLE reports (
            node TEXT PRIMARY KEY,
            report TEXT NOT NULL
          ) STRICT;
          CREATE TABLE fleet_counts (
            channel TEXT NOT NULL,
            label TEXT NOT NULL,
            current_commit TEXT NOT NULL,
            action TEXT NOT NULL,
            reason_code TEXT NOT NULL,
            target_commit TEXT NOT NULL,
            nodes INTEGER NOT NULL,
            example TEXT,
            PRIMARY KEY (channel, label, current_commit, action, reason_code, target_commit)
          ) STRICT, WITHOUT ROWID;
          CREATE TABLE adoption (
            day TEXT NOT NULL,
            channel TEXT NOT NULL,
            label TEXT NOT NULL,
            nodes INTEGER NOT NULL,
            PRIMARY KEY (day, channel, label)
          ) STRICT, WITHOUT ROWID;
          """,
          """
          ALTER TABLE nodes ADD COLUMN first_seen INTEGER NOT NULL DEFAULT 0;
          ALTER TABLE nodes ADD COLUMN received_at INTEGER NOT NULL DEFAULT 0;
          ALTER TABLE nodes ADD COLUMN first_finished INTEGER NOT NULL DEFAULT 0;
          UPDATE nodes SET first_seen = min(finished_at, last_seen), received_at = last_seen,
            first_finished = finished_at;
          CREATE INDEX nodes_by_commit ON nodes (current_commit, channel);
          CREATE INDEX nodes_by_target ON nodes (target_commit, channel);
          """
              + NodeKeyStore.MIGRATION,
          NodeKeyStore.SEQUENCE_MIGRATION,
          NodeNames.MIGRATION,
          SlotStore.MIGRATION);

  private static final Schema SCHEMA = new Schema("fleet-web database", APPLICATION_ID, MIGRATIONS);

  private final Path file;
  private final Connection writer;
  private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);

  private FleetDatabase(Path file, Connection writer) {
    this.file = file;
    this.writer = writer;
  }

  /** The schema version this build writes. */
  public static int latestSchema() {
    return SCHEMA.latest();
  }

  /**
   * Opens (creating it if needed) and migrates the database at {@code file}.
   *
   * @throws StoreException if the file cannot be opened, is not a fleet-web database, is corrupt or
   *     was written by a newer fleet-web
   */
  public static FleetDatabase open(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new StoreException("database " + file + ": directory " + parent + " does not exist");
    }
    Connection writer = connect(file);
    FleetDatabase database = new FleetDatabase(file, writer);
    try {
      database.migrate();
      for (int i = 0; i < READERS; i++) {
        Connection reader = connect(file);
        try (Statement statement = reader.createStatement()) {
          statement.execute("PRAGMA query_only = ON");
        }
        database.readers.add(reader);
      }
      return database;
    } catch (SQLException e) {
      database.close();
      throw new StoreException(
          "database " + file + " is corrupt or not an SQLite file: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  private static Connection connect(Path file) {
    try {
      // 100,000 nodes make a file of a few hundred MB: keep the hot pages in memory.
      return Sqlite.connect(file, ConnectionSettings.fast(32_768, 256L << 20));
    } catch (SQLException e) {
      throw new StoreException(
          "database " + file + " cannot be opened: " + firstLine(e.getMessage()), e);
    }
  }

  private void migrate() throws SQLException {
    int version = Sqlite.userVersion(writer);
    int applicationId = Sqlite.applicationId(writer);
    if (applicationId != APPLICATION_ID && Sqlite.hasTables(writer, "kv", "runs")) {
      throw new StoreException(
          "database "
              + file
              + " is a node-updater state file, not a fleet-web database: give fleet-web a file"
              + " of its own");
    }
    if (version > 0 && applicationId != APPLICATION_ID) {
      throw new StoreException("database " + file + " is not a fleet-web database");
    }
    if (version > latestSchema()) {
      throw new StoreException(
          "database "
              + file
              + " has schema version "
              + version
              + ", newer than this fleet-web understands ("
              + latestSchema()
              + "): use a newer fleet-web or another file");
    }
    if (version > 0 && applicationId != APPLICATION_ID
        || version == 0 && (applicationId != 0 || !Sqlite.isEmpty(writer))) {
      throw new StoreException("database " + file + " is not a fleet-web database");
    }
    if (Sqlite.migrate(writer, SCHEMA, version)) {
      LOG.info("database {} migrated from schema {} to {}", file, version, latestSchema());
    }
  }

  /** The file this database lives in. */
  public Path file() {
    return file;
  }

  /** The single writer connection; callers serialise on this database object. */
  Connection writer() {
    return writer;
  }

  /** Work done on a read connection. */
  @FunctionalInterface
  interface Read<T> {
    T apply(Connection connection) throws SQLException;
  }

  /** Runs {@code work} on one of the read connections (waiting for a free one). */
  <T> T read(Read<T> work) {
    Connection connection;
    try {
      connection = readers.poll(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("database " + file + ": interrupted while waiting", e);
    }
    if (connection == null) {
      throw new StoreException("database " + file + ": no read connection free for 30 s");
    }
    try {
      return work.apply(connection);
    } catch (SQLException e) {
      throw new StoreException("database " + file + ": " + firstLine(e.getMessage()), e);
    } finally {
      readers.add(connection);
    }
  }

  static String firstLine(String text) {
    return Sqlite.firstLine(text);
  }

  @Override
  public void close() {
    for (Connection connection : readers) {
      closeQuietly(connection);
    }
    readers.clear();
    synchronized (this) {
      closeQuietly(writer);
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.warn("closing database connection failed: {}", e.getMessage());
    }
  }
}
