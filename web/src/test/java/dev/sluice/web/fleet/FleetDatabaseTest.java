package dev.sluice.web.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetDatabaseTest {

  @TempDir Path dir;

  private int pragma(Path file, String name) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("PRAGMA " + name)) {
      return rows.getInt(1);
    }
  }

  @Test
  void createsTheSchemaInWalModeAndReopensIt() throws Exception {
    Path file = dir.resolve("fleet.db");
    try (FleetDatabase db = FleetDatabase.open(file)) {
      assertThat(db.file()).isEqualTo(file);
    }
    assertThat(pragma(file, "user_version")).isEqualTo(FleetDatabase.latestSchema());
    assertThat(pragma(file, "application_id")).isEqualTo(FleetDatabase.APPLICATION_ID);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("PRAGMA journal_mode")) {
      assertThat(rows.getString(1)).isEqualTo("wal");
    }
    try (FleetDatabase again = FleetDatabase.open(file)) {
      assertThat(again.file()).isEqualTo(file);
      assertThat(pragma(file, "user_version")).isEqualTo(FleetDatabase.latestSchema());
    }
  }

  @Test
  void refusesADatabaseFromANewerFleetWeb() throws Exception {
    Path file = dir.resolve("fleet.db");
    FleetDatabase.open(file).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version = 99");
    }
    assertThatThrownBy(() -> FleetDatabase.open(file))
        .isInstanceOf(StoreException.class)
        .hasMessage(
            "database "
                + file
                + " has schema version 99, newer than this fleet-web understands ("
                + FleetDatabase.latestSchema()
                + "): use a newer fleet-web or another file");
    assertThat(pragma(file, "user_version")).isEqualTo(99);
  }

  @Test
  void refusesAFileThatIsNotAnSqliteDatabase() throws Exception {
    Path file = dir.resolve("fleet.db");
    Files.writeString(file, "this is not a database, it is a shopping list\n".repeat(100));
    assertThatThrownBy(() -> FleetDatabase.open(file))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("database " + file + " cannot be opened")
        .hasMessageContaining("not a database")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void refusesAnotherProgramsSqliteDatabase() throws Exception {
    Path file = dir.resolve("state.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT)");
    }
    assertThatThrownBy(() -> FleetDatabase.open(file))
        .isInstanceOf(StoreException.class)
        .hasMessage("database " + file + " is not a fleet-web database");
  }

  @Test
  void saysWhenItIsGivenANodeUpdaterStateFile() throws Exception {
    Path file = dir.resolve("state.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      // The shape of node-updater's state file (its own schema, a higher user_version).
      s.execute("CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      s.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY, report TEXT NOT NULL)");
      s.execute("PRAGMA user_version = 3");
    }
    assertThatThrownBy(() -> FleetDatabase.open(file))
        .isInstanceOf(StoreException.class)
        .hasMessage(
            "database "
                + file
                + " is a node-updater state file, not a fleet-web database: give fleet-web a file"
                + " of its own");
  }

  @Test
  void refusesAMissingDirectory() {
    Path file = dir.resolve("nope/fleet.db");
    assertThatThrownBy(() -> FleetDatabase.open(file))
        .isInstanceOf(StoreException.class)
        .hasMessage("database " + file + ": directory " + dir.resolve("nope") + " does not exist");
  }
}
