package dev.sluice.web.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.web.testing.Reports;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding a node by its name: stored with each report, indexed, kept through a migration. */
class NodeNamesTest {

  static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

  @TempDir Path dir;

  private static NodePage byName(NodeQueries store, String name) {
    return store.nodes(new NodeQuery(null, null, null, null, name, null, 0, 50));
  }

  @Test
  void aDatabaseFromTheSchemaBeforeNamesKeepsItsNodesAndLearnsTheirNames() throws Exception {
    Path file = dir.resolve("fleet.db");
    try (FleetDatabase db = FleetDatabase.open(file)) {
      new ReportStore(db)
          .save(List.of(new ReceivedReport(Reports.report().node(1).build(), NOW)), NOW);
    }
    // Take the file back to the schema before names, as an older fleet-web left it.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      // The update-slot tables came after names.
      s.execute("DROP TABLE update_slots");
      s.execute("DROP TABLE slot_grants");
      s.execute("DROP TABLE node_names");
      for (String column : new String[] {"name", "updater_version", "remote"}) {
        s.execute("ALTER TABLE nodes DROP COLUMN " + column);
      }
      // Update slots came after names: that migration goes too.
      s.execute("DROP TABLE update_slots");
      s.execute("DROP TABLE slot_grants");
      s.execute("PRAGMA user_version = " + (FleetDatabase.latestSchema() - 2));
    }

    try (FleetDatabase db = FleetDatabase.open(file)) {
      NodeQueries store = new NodeQueries(db);
      ReportStore writer = new ReportStore(db);
      assertThat(store.nodes(new NodeQuery(null, null, null, null, null, 0, 50)).total())
          .isEqualTo(1);
      assertThat(byName(store, "flux").total()).isZero();

      writer.save(
          List.of(
              new ReceivedReport(
                  Reports.report()
                      .node(1)
                      .name("Flux-Node-042")
                      .finishedAt(NOW.plusSeconds(60))
                      .build(),
                  NOW.plusSeconds(60))),
          NOW.plusSeconds(60));

      NodePage found = byName(store, "node-04");
      assertThat(found.total()).isEqualTo(1);
      assertThat(found.nodes().get(0).name()).isEqualTo("Flux-Node-042");
      assertThat(found.nodes().get(0).node()).isEqualTo(Reports.nodeId(1));
      assertThat(writer.delete(Reports.nodeId(1))).isTrue();
      assertThat(byName(store, "node-04").total()).isZero();
    }
  }

  @Test
  void aNameSearchIsAnsweredFromTheTrigramIndex() throws Exception {
    try (FleetDatabase db = FleetDatabase.open(dir.resolve("fleet.db"))) {
      String plan =
          db.read(
              connection -> {
                StringBuilder text = new StringBuilder();
                try (PreparedStatement s =
                    connection.prepareStatement(
                        "EXPLAIN QUERY PLAN SELECT node FROM nodes WHERE 1 = 1"
                            + NodeNames.FILTER)) {
                  Object[] parameters = NodeNames.bind("node-04");
                  for (int i = 0; i < parameters.length; i++) {
                    s.setObject(i + 1, parameters[i]);
                  }
                  try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                      text.append(rows.getString("detail")).append('\n');
                    }
                  }
                }
                return text.toString();
              });
      // "L" in the FTS5 index string: the LIKE pattern is answered from the trigram index.
      assertThat(plan).containsPattern("node_names VIRTUAL TABLE INDEX 0:L");
    }
  }
}
