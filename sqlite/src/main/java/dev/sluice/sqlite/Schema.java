package dev.sluice.sqlite;

import java.util.List;

/**
 * One kind of SQLite file: its migrations in order (script {@code i} takes the schema from version
 * {@code i} to {@code i + 1}, recorded in {@code PRAGMA user_version}) and the {@code PRAGMA
 * application_id} that marks a file as this kind, or 0 for none.
 *
 * <p>A script is handed to SQLite whole, so triggers and string literals may contain {@code ;}.
 *
 * @param what how messages name a file of this kind, e.g. "state file"
 */
public record Schema(String what, int applicationId, List<String> migrations) {

  public Schema {
    migrations = List.copyOf(migrations);
    if (migrations.isEmpty()) {
      throw new IllegalArgumentException("a schema needs at least one migration");
    }
  }

  /** The version a file has once every migration has run. */
  public int latest() {
    return migrations.size();
  }
}
