package dev.sluice.web.cli;

import static dev.sluice.web.testing.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.web.fleet.FleetDatabase;
import io.javalin.Javalin;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetWebMainTest {

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** Stops the server as soon as it is up, after running {@code whileUp} against it. */
  private static final class StopAfter implements FleetWebCommand.Stopper {
    private final java.util.function.Consumer<Javalin> whileUp;
    boolean finished;

    StopAfter(java.util.function.Consumer<Javalin> whileUp) {
      this.whileUp = whileUp;
    }

    @Override
    public void awaitStop(Javalin app) {
      whileUp.accept(app);
    }

    @Override
    public void finished() {
      finished = true;
    }
  }

  private int run(FleetWebCommand.Stopper stopper, String... args) {
    return FleetWebMain.run(new PrintWriter(out, true), new PrintWriter(err, true), stopper, args);
  }

  private int run(String... args) {
    return run(new StopAfter(app -> {}), args);
  }

  @Test
  void helpListsTheOptionsAndExitCodes() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains("--db=FILE", "--port=PORT", "--bind=ADDRESS", "--remote=URL")
        .contains("--ingest-token=TOKEN", "--admin-token=TOKEN", "--now=T")
        .contains("Exit codes:", "3   the database cannot be used");
  }

  @Test
  void versionComesFromTheManifest() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("fleet-web ");
  }

  @Test
  void aMissingDbIsABadUsage() {
    assertThat(run("--port", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required option: '--db=FILE'");
  }

  @Test
  void anEmptyTokenIsABadUsageNotAnOpenDoor() {
    assertThat(run("--db", dir.resolve("f.db").toString(), "--ingest-token", " ")).isEqualTo(2);
    assertThat(err.toString()).contains("--ingest-token must not be empty");
  }

  @Test
  void listeningBeyondLoopbackNeedsAnIngestTokenOrInsecure() {
    assertThat(run("--db", dir.resolve("f.db").toString(), "--bind", "0.0.0.0", "--port", "0"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "--bind 0.0.0.0 is reachable from other machines: set --ingest-token (or"
                + " SLUICE_INGEST_TOKEN), or pass --insecure to accept reports from anyone");
    assertThat(
            run(
                "--db",
                dir.resolve("f.db").toString(),
                "--bind",
                "0.0.0.0",
                "--port",
                "0",
                "--insecure"))
        .as(err.toString())
        .isZero();
    assertThat(FleetWebCommand.isLoopback("127.0.0.1")).isTrue();
    assertThat(FleetWebCommand.isLoopback("::1")).isTrue();
    assertThat(FleetWebCommand.isLoopback("0.0.0.0")).isFalse();
  }

  @Test
  void aBadClockIsABadUsage() {
    assertThat(run("--db", dir.resolve("f.db").toString(), "--now", "tomorrow")).isEqualTo(2);
    assertThat(err.toString()).contains("--now");
  }

  @Test
  void startsOnAFreePortPrintsItsUrlAndStoresReports() throws Exception {
    Path db = dir.resolve("fleet.db");
    List<Integer> statuses = new ArrayList<>();
    StopAfter stopper =
        new StopAfter(
            app -> {
              try {
                HttpClient http = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + app.port();
                statuses.add(
                    http.send(
                            HttpRequest.newBuilder(URI.create(base + "/api/reports"))
                                .header("Authorization", "Bearer t0ken")
                                .POST(HttpRequest.BodyPublishers.ofString(report().node(1).json()))
                                .build(),
                            HttpResponse.BodyHandlers.ofString())
                        .statusCode());
                statuses.add(
                    http.send(
                            HttpRequest.newBuilder(URI.create(base + "/")).build(),
                            HttpResponse.BodyHandlers.ofString())
                        .statusCode());
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });

    int code =
        run(
            stopper,
            "--db",
            db.toString(),
            "--port",
            "0",
            "--ingest-token",
            "t0ken",
            "--now",
            "2026-11-20T12:00:00Z");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).matches("fleet-web listening on http://127\\.0\\.0\\.1:\\d+/\\R");
    assertThat(out.toString()).doesNotContain(":0/");
    assertThat(statuses).containsExactly(200, 200);
    assertThat(stopper.finished).isTrue();
    assertThat(Files.size(db)).isPositive();
  }

  @Test
  void refusesANewerDatabaseInOneLine() throws Exception {
    Path db = dir.resolve("fleet.db");
    FleetDatabase.open(db).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version = 42");
    }
    assertThat(run("--db", db.toString(), "--port", "0")).isEqualTo(3);
    assertThat(err.toString())
        .isEqualTo(
            "fleet-web: database "
                + db
                + " has schema version 42, newer than this fleet-web understands ("
                + FleetDatabase.latestSchema()
                + "): use a newer fleet-web or another file"
                + System.lineSeparator());
  }

  @Test
  void refusesACorruptDatabaseInOneLine() throws Exception {
    Path db = dir.resolve("fleet.db");
    Files.write(db, new byte[8192]);
    Files.writeString(db, "garbage garbage garbage garbage garbage garbage garbage garbage");
    assertThat(run("--db", db.toString(), "--port", "0")).isEqualTo(3);
    assertThat(err.toString()).startsWith("fleet-web: database " + db);
    assertThat(err.toString().strip()).doesNotContain("\n");
  }

  @Test
  void aBusyPortIsReportedInOneLine() throws Exception {
    try (java.net.ServerSocket busy =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      int code =
          run(
              "--db",
              dir.resolve("fleet.db").toString(),
              "--port",
              String.valueOf(busy.getLocalPort()));
      assertThat(code).isEqualTo(4);
      assertThat(err.toString())
          .startsWith("fleet-web: cannot listen on 127.0.0.1:" + busy.getLocalPort());
      assertThat(err.toString().strip()).doesNotContain("\n");
    }
  }
}
