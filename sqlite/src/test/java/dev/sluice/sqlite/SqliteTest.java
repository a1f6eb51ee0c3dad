package dev.sluice.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteTest {

  private static final Schema SCHEMA =
      new Schema(
          "test file",
          0x54455354,
          List.of(
              """
              CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL) STRICT;
              CREATE TABLE audit (note INTEGER NOT NULL, said TEXT NOT NULL) STRICT;
              CREATE TRIGGER notes_audit AFTER INSERT ON notes BEGIN
                INSERT INTO audit (note, said) VALUES (new.id, 'added; logged');
              END;
              """,
              "INSERT INTO notes (text) VALUES ('a;b'); ALTER TABLE notes ADD COLUMN kind TEXT;"));

  @TempDir Path dir;

  @Test
  void migrationScriptsRunWholeSoTriggersAndStringsMayHoldSemicolons() throws SQLException {
    try (Connection c = Sqlite.connect(dir.resolve("a.db"), ConnectionSettings.durable())) {
      assertThat(Sqlite.isEmpty(c)).isTrue();
      assertThat(Sqlite.migrate(c, SCHEMA, Sqlite.userVersion(c))).isTrue();

      assertThat(Sqlite.userVersion(c)).isEqualTo(2);
      assertThat(Sqlite.applicationId(c)).isEqualTo(0x54455354);
      assertThat(Rows.list(c, "SELECT text FROM notes", row -> row.getString(1)))
          .containsExactly("a;b");
      assertThat(Rows.list(c, "SELECT said FROM audit", row -> row.getString(1)))
          .containsExactly("added; logged");
      assertThat(Sqlite.hasTables(c, "notes", "audit")).isTrue();
      assertThat(Sqlite.hasTables(c, "notes", "kv")).isFalse();
      assertThat(Sqlite.migrate(c, SCHEMA, Sqlite.userVersion(c))).isFalse();
    }
  }

  @Test
  void aFailingMigrationChangesNothing() throws SQLException {
    Schema broken =
        new Schema(
            "test file",
            0,
            List.of(
                "CREATE TABLE one (x TEXT) STRICT;",
                "CREATE TABLE two (x TEXT) STRICT; INSERT INTO missing VALUES (1);"));
    try (Connection c = Sqlite.connect(dir.resolve("b.db"), ConnectionSettings.durable())) {
      assertThatThrownBy(() -> Sqlite.migrate(c, broken, 0))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("missing");

      assertThat(Sqlite.userVersion(c)).isZero();
      assertThat(Sqlite.isEmpty(c)).isTrue();
      assertThat(c.getAutoCommit()).isTrue();
    }
  }

  @Test
  void aTransactionThatThrowsIsRolledBack() throws SQLException {
    try (Connection c = Sqlite.connect(dir.resolve("c.db"), ConnectionSettings.durable())) {
      Sqlite.migrate(c, SCHEMA, 0);
      assertThatThrownBy(
              () ->
                  Sqlite.inTransaction(
                      c,
                      tx -> {
                        Rows.update(tx, "INSERT INTO notes (text) VALUES (?)", "kept?");
                        throw new IllegalStateException("boom");
                      }))
          .hasMessage("boom");

      assertThat(Rows.first(c, "SELECT count(*) FROM notes", row -> row.getInt(1))).contains(1);
      long id =
          Sqlite.inTransaction(
              c, tx -> Rows.insert(tx, "INSERT INTO notes (text, kind) VALUES (?, ?)", "x", null));
      assertThat(Rows.first(c, "SELECT text FROM notes WHERE id = ?", row -> row.getString(1), id))
          .contains("x");
    }
  }

  @Test
  void aReadOnlyConnectionWritesNothing() throws SQLException {
    Path file = dir.resolve("d.db");
    try (Connection c = Sqlite.connect(file, ConnectionSettings.fast(1024, 1 << 20))) {
      Sqlite.migrate(c, SCHEMA, 0);
    }
    try (Connection c = Sqlite.connect(file, ConnectionSettings.readOnly())) {
      assertThat(Rows.list(c, "SELECT text FROM notes", row -> row.getString(1))).hasSize(1);
      assertThatThrownBy(() -> Rows.update(c, "DELETE FROM notes"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("readonly");
    }
  }
}
