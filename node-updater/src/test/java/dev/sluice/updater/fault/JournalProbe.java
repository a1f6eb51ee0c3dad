package dev.sluice.updater.fault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the apply journal of a state file with plain JDBC, only to say in a failure message where a
 * killed run had got to. Never fails a test by itself: an unreadable journal is described instead.
 */
final class JournalProbe {

  /** The journal steps recorded after a given step row, as a readable line. */
  record Steps(long lastId, List<String> names, String problem) {
    String describe() {
      if (problem != null) {
        return problem;
      }
      return names.isEmpty() ? "no journal step (killed before INTENT)" : String.join(" > ", names);
    }

    String last() {
      return names.isEmpty() ? "none" : names.get(names.size() - 1);
    }
  }

  private JournalProbe() {}

  /** The steps with a row id above {@code afterId} (0 for all). */
  static Steps stepsAfter(Path stateFile, long afterId) {
    if (!Files.exists(stateFile)) {
      return new Steps(afterId, List.of(), "no state file yet (killed before it was created)");
    }
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + stateFile);
        PreparedStatement select =
            db.prepareStatement("SELECT id, step FROM journal_steps WHERE id > ? ORDER BY id")) {
      select.setLong(1, afterId);
      List<String> names = new ArrayList<>();
      long last = afterId;
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          last = rows.getLong(1);
          names.add(rows.getString(2));
        }
      }
      return new Steps(last, names, null);
    } catch (SQLException e) {
      return new Steps(afterId, List.of(), "journal unreadable (" + e.getMessage() + ")");
    }
  }
}
