package dev.sluice.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.core.json.Json;
import dev.sluice.core.report.NodeReport;
import dev.sluice.core.report.ReportSignature;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.updater.cli.NodeUpdaterMain;
import dev.sluice.updater.report.ReportSender;
import dev.sluice.web.fleet.FleetDatabase;
import dev.sluice.web.fleet.FleetService;
import dev.sluice.web.fleet.ReportStore;
import dev.sluice.web.fleet.ReportValidator;
import dev.sluice.web.fleet.ReportWriter;
import dev.sluice.web.metrics.FleetMetrics;
import io.javalin.Javalin;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A captured signed report sent again, an older one sent after a newer one, a modified one signed
 * by another key: real node-updater runs post their reports to a recorder, and the recorded
 * requests go to a real fleet-web over HTTP.
 */
class ReplayProtectionTest {

  @TempDir Path dir;

  private FleetDatabase database;
  private ReportWriter writer;
  private Javalin app;
  private HttpServer recorder;
  private final List<Captured> captured = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private String url;

  /** One request as node-updater sent it. */
  record Captured(String body, String signature, String key) {}

  @BeforeEach
  void start() throws Exception {
    Clock clock = Clock.systemUTC();
    database = FleetDatabase.open(dir.resolve("fleet.db"));
    writer = new ReportWriter(new ReportStore(database), clock);
    FleetService fleet = new FleetService(database, clock);
    app =
        FleetServer.create(
            new FleetServer.Deps(
                fleet,
                new ReportValidator(clock),
                writer,
                clock,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                new FleetServer.Access(Optional.empty(), false),
                FleetServer.Limits.DEFAULT,
                new FleetMetrics(fleet, () -> 0)));
    app.start("127.0.0.1", 0);
    url = "http://127.0.0.1:" + app.port();

    recorder = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    recorder.createContext(
        "/api/reports",
        exchange -> {
          captured.add(
              new Captured(
                  new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                  exchange.getRequestHeaders().getFirst(ReportSignature.SIGNATURE_HEADER),
                  exchange.getRequestHeaders().getFirst(ReportSignature.PUBLIC_KEY_HEADER)));
          byte[] answer = "{\"stored\":true}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    recorder.start();
  }

  @AfterEach
  void stop() {
    recorder.stop(0);
    app.stop();
    writer.close();
    database.close();
  }

  /** Runs node-updater once against {@code remote}, reporting to {@code reportTo}. */
  private void runNode(TestRemote remote, String reportTo) {
    StringWriter out = new StringWriter();
    int exit =
        NodeUpdaterMain.run(
            new PrintWriter(out),
            new PrintWriter(new StringWriter()),
            "run",
            "--workdir",
            dir.resolve("node").toString(),
            "--remote",
            remote.uri(),
            "--state",
            dir.resolve("state.db").toString(),
            "--report-to",
            reportTo);
    assertThat(exit).as(out.toString()).isZero();
  }

  private HttpResponse<String> post(String body, String signature, String key) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(url + "/api/reports"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body));
      if (signature != null) {
        request.header(ReportSignature.SIGNATURE_HEADER, signature);
        request.header(ReportSignature.PUBLIC_KEY_HEADER, key);
      }
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> post(Captured c) {
    return post(c.body(), c.signature(), c.key());
  }

  private String get(String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static JsonNode json(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private static String signedBy(KeyPair key, String body) {
    return ReportSignature.sign(key.getPrivate(), body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aCapturedReportSentAgainOrLateIsRefusedAndAnotherKeyCannotReSignIt() throws Exception {
    try (TestRemote remote = TestRemote.create(dir)) {
      runNode(remote, "http://127.0.0.1:" + recorder.getAddress().getPort());
      runNode(remote, "http://127.0.0.1:" + recorder.getAddress().getPort());
    }
    assertThat(captured).hasSize(2);
    Captured first = captured.get(0);
    Captured second = captured.get(1);
    JsonNode firstBody = json(first.body());
    JsonNode secondBody = json(second.body());
    assertThat(firstBody.get(NodeReport.SCHEMA_FIELD).asInt()).isEqualTo(2);
    assertThat(secondBody.get(NodeReport.SEQUENCE_FIELD).asLong())
        .isGreaterThan(firstBody.get(NodeReport.SEQUENCE_FIELD).asLong());
    String node = firstBody.get("node").asText();

    // The first delivery is stored; the same request again is a replay.
    assertThat(post(first).statusCode()).isEqualTo(200);
    HttpResponse<String> again = post(first);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(json(again.body()).get("error").asText())
        .isEqualTo(
            "node "
                + node
                + " already sent a report numbered "
                + firstBody.get(NodeReport.SEQUENCE_FIELD).asLong()
                + " or higher: this one is refused as a replay (a node whose state file was"
                + " restored from an old backup is re-enrolled with DELETE /api/nodes/ID/key)");

    // The newer report is stored; the older one, sent after it, never overwrites it.
    assertThat(post(second).statusCode()).isEqualTo(200);
    assertThat(post(first).statusCode()).isEqualTo(409);
    JsonNode stored = json(get("/api/nodes/" + node));
    assertThat(stored.get("action").asText()).isEqualTo("unchanged");
    assertThat(stored.get("finishedAt").asText()).isEqualTo(secondBody.get("finishedAt").asText());

    // A modified report keeps no valid signature: not the node's, and not another key's.
    ObjectNode forged = (ObjectNode) secondBody.deepCopy();
    forged.put("action", "failed");
    forged.put(NodeReport.SEQUENCE_FIELD, secondBody.get(NodeReport.SEQUENCE_FIELD).asLong() + 1);
    String forgedBody = Json.write(forged);
    assertThat(post(forgedBody, second.signature(), second.key()).statusCode()).isEqualTo(401);
    KeyPair attacker = ReportSignature.generate();
    HttpResponse<String> reSigned =
        post(
            forgedBody,
            signedBy(attacker, forgedBody),
            ReportSignature.encode(attacker.getPublic()));
    assertThat(reSigned.statusCode()).isEqualTo(403);
    assertThat(json(reSigned.body()).get("error").asText()).contains("is pinned to another key");

    // Without a sequence (an old-format report made with the node's own key) is refused too,
    // once the node has sent numbered reports: no downgrade.
    KeyPair nodeKey =
        ReportSender.nodeSigning(dir.resolve("state.db"), Instant.now()).orElseThrow().key();
    ObjectNode unnumbered = (ObjectNode) secondBody.deepCopy();
    unnumbered.remove(NodeReport.SEQUENCE_FIELD);
    unnumbered.remove(NodeReport.SENT_AT_FIELD);
    unnumbered.put(NodeReport.SCHEMA_FIELD, 1);
    unnumbered.put("finishedAt", Instant.now().toString());
    String oldFormat = Json.write(unnumbered);
    HttpResponse<String> downgrade = post(oldFormat, signedBy(nodeKey, oldFormat), second.key());
    assertThat(downgrade.statusCode()).isEqualTo(409);
    assertThat(json(downgrade.body()).get("error").asText())
        .contains("sends numbered reports: a report without a sequence number is refused");

    // A new numbered report from the node is still taken.
    ObjectNode next = (ObjectNode) secondBody.deepCopy();
    next.put(NodeReport.SEQUENCE_FIELD, secondBody.get(NodeReport.SEQUENCE_FIELD).asLong() + 1);
    next.put(NodeReport.SENT_AT_FIELD, Instant.now().toString());
    String nextBody = Json.write(next);
    assertThat(post(nextBody, signedBy(nodeKey, nextBody), second.key()).statusCode())
        .isEqualTo(200);

    String metrics = get("/metrics");
    assertThat(metrics)
        .contains("fleet_web_reports_total{result=\"replayed\"} 3.0")
        .contains("fleet_web_reports_total{result=\"stored\"} 3.0")
        .contains("fleet_web_reports_total{result=\"other-key\"} 1.0")
        .contains("fleet_web_reports_total{result=\"bad-signature\"} 1.0");
  }

  @Test
  void aReportHeldBackLongerThanTheLongestAgeIsRefusedAsExpired() throws Exception {
    KeyPair key = ReportSignature.generate();
    ObjectNode report =
        (ObjectNode) json(dev.sluice.web.testing.Reports.report().finishedAt(Instant.now()).json());
    report.put(NodeReport.SCHEMA_FIELD, 2);
    report.put(NodeReport.SEQUENCE_FIELD, 1);
    report.put(
        NodeReport.SENT_AT_FIELD,
        Instant.now()
            .minus(FleetServer.Access.DEFAULT_MAX_REPORT_AGE)
            .minus(Duration.ofMinutes(1))
            .toString());
    Instant ranAt = Instant.now().minus(Duration.ofHours(2));
    report.put("finishedAt", ranAt.toString());
    report.put("startedAt", ranAt.toString());
    String late = Json.write(report);
    HttpResponse<String> refused =
        post(late, signedBy(key, late), ReportSignature.encode(key.getPublic()));
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(json(refused.body()).get("error").asText())
        .contains("refused as expired (is the node's clock behind?)");

    report.put(NodeReport.SENT_AT_FIELD, Instant.now().toString());
    String fresh = Json.write(report);
    assertThat(
            post(fresh, signedBy(key, fresh), ReportSignature.encode(key.getPublic())).statusCode())
        .isEqualTo(200);
    assertThat(get("/metrics")).contains("fleet_web_reports_total{result=\"expired\"} 1.0");
  }
}
