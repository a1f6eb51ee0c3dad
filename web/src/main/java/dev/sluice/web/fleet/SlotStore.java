package dev.sluice.web.fleet;

import dev.sluice.core.policy.UpdateLimits;
import dev.sluice.core.slots.Slot;
import dev.sluice.core.slots.SlotBook;
import dev.sluice.core.slots.SlotDecision;
import dev.sluice.core.slots.SlotRules;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The update slots fleet-web hands out (FleetLock): the slots held per lock group and the recent
 * grants that {@code maxUpdatesPerHour} counts. Each request is one {@code BEGIN IMMEDIATE}
 * transaction that reads the lock group, asks core's {@link SlotRules} and writes the answer, so
 * two fleet-web processes on the same file never hand out one slot twice.
 */
public final class SlotStore {

  static final String MIGRATION =
      """
      CREATE TABLE update_slots (
        lock_group TEXT NOT NULL,
        holder TEXT NOT NULL,
        granted_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (lock_group, holder)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE slot_grants (
        lock_group TEXT NOT NULL,
        holder TEXT NOT NULL,
        granted_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX slot_grants_by_group ON slot_grants (lock_group, granted_at);
      """;

  private static final String HELD =
      "SELECT holder, granted_at, expires_at FROM update_slots WHERE lock_group = ?";
  private static final String RECENT =
      "SELECT granted_at FROM slot_grants WHERE lock_group = ? AND granted_at > ?";
  private static final String PRUNE_GRANTS =
      "DELETE FROM slot_grants WHERE lock_group = ? AND granted_at <= ?";
  private static final String FORGET =
      "DELETE FROM update_slots WHERE lock_group = ? AND holder = ?";
  private static final String UPSERT =
      """
      INSERT INTO update_slots (lock_group, holder, granted_at, expires_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (lock_group, holder) DO UPDATE SET
        granted_at = excluded.granted_at, expires_at = excluded.expires_at
      """;
  private static final String GRANT =
      "INSERT INTO slot_grants (lock_group, holder, granted_at) VALUES (?, ?, ?)";
  private static final String ALL =
      """
      SELECT lock_group, holder, granted_at, expires_at FROM update_slots
      WHERE expires_at > ? ORDER BY lock_group, granted_at, holder
      """;
  private static final String GRANTS_SINCE =
      "SELECT lock_group, count(*) FROM slot_grants WHERE granted_at > ? GROUP BY lock_group";

  private final FleetDatabase database;

  public SlotStore(FleetDatabase database) {
    this.database = Objects.requireNonNull(database, "database");
  }

  /**
   * Decides a request for a slot and records the answer: a granted slot is stored, expired slots of
   * the lock group are forgotten.
   *
   * @param now the time of the request, to the millisecond
   */
  public SlotDecision acquire(UpdateLimits limits, String lockGroup, String holder, Instant now) {
    return write(
        "taking a slot",
        connection -> {
          List<Slot> held = new ArrayList<>();
          try (PreparedStatement s = connection.prepareStatement(HELD)) {
            s.setString(1, lockGroup);
            try (ResultSet rows = s.executeQuery()) {
              while (rows.next()) {
                held.add(
                    new Slot(
                        lockGroup,
                        rows.getString(1),
                        Instant.ofEpochMilli(rows.getLong(2)),
                        Instant.ofEpochMilli(rows.getLong(3))));
              }
            }
          }
          long from = now.minus(SlotRules.RATE_WINDOW).toEpochMilli();
          List<Instant> grants = new ArrayList<>();
          try (PreparedStatement s = connection.prepareStatement(RECENT)) {
            s.setString(1, lockGroup);
            s.setLong(2, from);
            try (ResultSet rows = s.executeQuery()) {
              while (rows.next()) {
                grants.add(Instant.ofEpochMilli(rows.getLong(1)));
              }
            }
          }
          SlotDecision decision =
              SlotRules.acquire(limits, lockGroup, new SlotBook(held, grants), holder, now);
          try (PreparedStatement prune = connection.prepareStatement(PRUNE_GRANTS);
              PreparedStatement forget = connection.prepareStatement(FORGET)) {
            prune.setString(1, lockGroup);
            prune.setLong(2, from);
            prune.executeUpdate();
            for (Slot slot : decision.expired()) {
              forget.setString(1, lockGroup);
              forget.setString(2, slot.holder());
              forget.executeUpdate();
            }
          }
          if (decision.granted()) {
            Slot slot = decision.slot();
            try (PreparedStatement s = connection.prepareStatement(UPSERT)) {
              s.setString(1, lockGroup);
              s.setString(2, holder);
              s.setLong(3, slot.grantedAt().toEpochMilli());
              s.setLong(4, slot.expiresAt().toEpochMilli());
              s.executeUpdate();
            }
            if (decision.outcome() == SlotDecision.Outcome.GRANTED) {
              try (PreparedStatement s = connection.prepareStatement(GRANT)) {
                s.setString(1, lockGroup);
                s.setString(2, holder);
                s.setLong(3, now.toEpochMilli());
                s.executeUpdate();
              }
            }
          }
          return decision;
        });
  }

  /**
   * Gives a slot back (FleetLock {@code steady-state}).
   *
   * @return true when the holder had one in the lock group (live or expired)
   */
  public boolean release(String lockGroup, String holder) {
    return write(
        "giving a slot back",
        connection -> {
          try (PreparedStatement s = connection.prepareStatement(FORGET)) {
            s.setString(1, lockGroup);
            s.setString(2, holder);
            return s.executeUpdate() > 0;
          }
        });
  }

  /** The slots live at {@code now}, by lock group and grant time. */
  public List<Slot> held(Instant now) {
    return database.read(
        connection -> {
          List<Slot> slots = new ArrayList<>();
          try (PreparedStatement s = connection.prepareStatement(ALL)) {
            s.setLong(1, now.toEpochMilli());
            try (ResultSet rows = s.executeQuery()) {
              while (rows.next()) {
                slots.add(
                    new Slot(
                        rows.getString(1),
                        rows.getString(2),
                        Instant.ofEpochMilli(rows.getLong(3)),
                        Instant.ofEpochMilli(rows.getLong(4))));
              }
            }
          }
          return slots;
        });
  }

  /** How many slots each lock group was granted in the hour before {@code now}. */
  public Map<String, Integer> grantedLastHour(Instant now) {
    return database.read(
        connection -> {
          Map<String, Integer> counts = new TreeMap<>();
          try (PreparedStatement s = connection.prepareStatement(GRANTS_SINCE)) {
            s.setLong(1, now.minus(SlotRules.RATE_WINDOW).toEpochMilli());
            try (ResultSet rows = s.executeQuery()) {
              while (rows.next()) {
                counts.put(rows.getString(1), rows.getInt(2));
              }
            }
          }
          return counts;
        });
  }

  @FunctionalInterface
  private interface Work<T> {
    T apply(Connection connection) throws SQLException;
  }

  /** One immediate transaction on the writer connection. */
  private <T> T write(String what, Work<T> work) {
    synchronized (database) {
      Connection connection = database.writer();
      try (Statement statement = connection.createStatement()) {
        statement.execute("BEGIN IMMEDIATE");
        try {
          T result = work.apply(connection);
          statement.execute("COMMIT");
          return result;
        } catch (SQLException | RuntimeException e) {
          statement.execute("ROLLBACK");
          throw e;
        }
      } catch (SQLException e) {
        throw new StoreException(
            "database "
                + database.file()
                + ": "
                + what
                + " failed: "
                + FleetDatabase.firstLine(e.getMessage()),
            e);
      }
    }
  }
}
