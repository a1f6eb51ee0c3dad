package dev.sluice.sqlite;

import org.sqlite.SQLiteConfig;

/**
 * How a connection is opened. Every writable connection uses WAL, a busy timeout and foreign keys;
 * what differs is how hard a commit waits for the disk and how much is cached.
 *
 * @param fullSync {@code synchronous=FULL}: a committed transaction survives a power cut, not only
 *     a killed process (node-updater's journal needs this); otherwise {@code NORMAL}
 * @param writable false to open read-only: nothing is written, not even the WAL mode
 * @param cacheKib page cache in KiB, 0 for SQLite's default
 * @param mmapBytes memory-mapped I/O size, 0 for none
 */
public record ConnectionSettings(boolean fullSync, boolean writable, int cacheKib, long mmapBytes) {

  static final int BUSY_TIMEOUT_MILLIS = 5_000;

  /** A writable connection whose commits survive a power cut. */
  public static ConnectionSettings durable() {
    return new ConnectionSettings(true, true, 0, 0);
  }

  /** A writable connection for a database that favours throughput over the last commits. */
  public static ConnectionSettings fast(int cacheKib, long mmapBytes) {
    return new ConnectionSettings(false, true, cacheKib, mmapBytes);
  }

  /** A connection that only reads. */
  public static ConnectionSettings readOnly() {
    return new ConnectionSettings(false, false, 0, 0);
  }

  SQLiteConfig toConfig() {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    // Row ids come from last_insert_rowid() (Rows.insert); without this the driver runs an extra
    // query after every INSERT, which cost fleet-web's report writer about a third of its time.
    config.setGetGeneratedKeys(false);
    if (!writable) {
      config.setReadOnly(true);
      return config;
    }
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(
        fullSync ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
    config.enforceForeignKeys(true);
    if (cacheKib > 0) {
      config.setCacheSize(-cacheKib);
    }
    if (mmapBytes > 0) {
      config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, String.valueOf(mmapBytes));
    }
    return config;
  }
}
