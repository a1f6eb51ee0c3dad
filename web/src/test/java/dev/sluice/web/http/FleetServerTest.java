package dev.sluice.web.http;

import static dev.sluice.web.testing.Reports.COMMIT_B;
import static dev.sluice.web.testing.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.history.ChannelStatusReader;
import dev.sluice.core.json.Json;
import dev.sluice.core.promotion.HealthReport;
import dev.sluice.core.report.Action;
import dev.sluice.core.report.ReportSignature;
import dev.sluice.web.channels.ChannelsService;
import dev.sluice.web.fleet.FleetDatabase;
import dev.sluice.web.fleet.FleetService;
import dev.sluice.web.fleet.PromotionHealth;
import dev.sluice.web.fleet.ReportStore;
import dev.sluice.web.fleet.ReportValidator;
import dev.sluice.web.fleet.ReportWriter;
import dev.sluice.web.testing.MutableClock;
import dev.sluice.web.testing.Reports;
import io.javalin.Javalin;
import io.javalin.testtools.JavalinTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetServerTest {

  static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
  static final String INGEST = "ingest-secret";
  static final String ADMIN = "admin-secret";

  @TempDir Path dir;
  private FleetDatabase database;
  private ReportWriter writer;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void open() {
    database = FleetDatabase.open(dir.resolve("fleet.db"));
  }

  @AfterEach
  void close() {
    if (writer != null) {
      writer.close();
    }
    database.close();
  }

  private Optional<ChannelsService> channels = Optional.empty();

  private final MutableClock clock = new MutableClock(NOW);

  private Javalin app(Optional<String> ingestToken, Optional<String> adminToken) {
    writer = new ReportWriter(new ReportStore(database), clock);
    return FleetServer.create(
        new FleetServer.Deps(
            new FleetService(database, clock),
            new ReportValidator(clock),
            writer,
            clock,
            ingestToken,
            adminToken,
            channels));
  }

  private void withServer(Consumer<Base> test) {
    withServer(Optional.empty(), Optional.empty(), test);
  }

  private void withServer(
      Optional<String> ingestToken, Optional<String> adminToken, Consumer<Base> test) {
    JavalinTest.test(
        app(ingestToken, adminToken),
        (server, client) -> test.accept(new Base("http://localhost:" + server.port())));
  }

  /** The server's base URL and a few request helpers. */
  final class Base {
    final String url;

    Base(String url) {
      this.url = url;
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
      try {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    HttpResponse<String> get(String path) {
      return send(HttpRequest.newBuilder(URI.create(url + path)));
    }

    HttpResponse<String> post(String body, String... headers) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(url + "/api/reports"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body));
      if (headers.length > 0) {
        request.headers(headers);
      }
      return send(request);
    }

    HttpResponse<String> delete(String path, String... headers) {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).DELETE();
      if (headers.length > 0) {
        request.headers(headers);
      }
      return send(request);
    }
  }

  private static JsonNode json(HttpResponse<String> response) {
    try {
      return Json.mapper().readTree(response.body());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }

  private static void assertError(HttpResponse<String> response, int status, String error) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("application/json");
    assertThat(json(response).get("error").asText()).isEqualTo(error);
  }

  @Test
  void storesAReportAndShowsItInTheFleet() {
    withServer(
        server -> {
          String node = Reports.nodeId(7);
          HttpResponse<String> posted =
              server.post(report().node(node).preprod().on(COMMIT_B, "v1.1.0_pre").json());
          assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
          assertThat(json(posted).get("stored").asBoolean()).isTrue();

          JsonNode fleet = json(server.get("/api/fleet"));
          assertThat(fleet.get("totalNodes").asInt()).isEqualTo(1);
          assertThat(fleet.get("staleAfter").asText()).isEqualTo("PT2H");
          assertThat(fleet.at("/preprod/share").asDouble()).isEqualTo(1.0);
          assertThat(fleet.at("/versions/0/version").asText()).isEqualTo("v1.1.0_pre");

          JsonNode stored = json(server.get("/api/nodes/" + node));
          assertThat(stored.get("currentCommit").asText()).isEqualTo(COMMIT_B);
          assertError(
              server.get("/api/nodes/" + Reports.nodeId(8)),
              404,
              "no report from node " + Reports.nodeId(8));
          assertError(server.get("/api/nodes/junk"), 400, "node id must be a UUID");
        });
  }

  @Test
  void anOlderReportIsAcceptedButNotStored() {
    withServer(
        server -> {
          server.post(report().node(1).finishedAt(NOW.minusSeconds(10)).json());
          JsonNode older =
              json(server.post(report().node(1).finishedAt(NOW.minusSeconds(60)).json()));
          assertThat(older.get("stored").asBoolean()).isFalse();
          assertThat(older.get("reason").asText())
              .isEqualTo("older than the node's last stored report");
        });
  }

  @Test
  void rejectsJunkWithTheReason() {
    withServer(
        server -> {
          assertError(server.post("{"), 400, "report is not valid JSON");
          assertError(server.post("{\"node\": 1}"), 400, "field 'node' must be string, not number");
          assertError(
              server.post(report().node("not-a-uuid").json()), 400, "field 'node' must be a UUID");
          assertError(
              server.post(report().ticket(1.5).json()),
              400,
              "field 'lottery.ticket' must be in [0,1)");
          assertError(
              server.post(report().finishedAt(NOW.plusSeconds(86_400)).json()),
              400,
              "field 'startedAt' is in the future");
          assertThat(json(server.get("/api/fleet")).get("totalNodes").asInt()).isZero();
        });
  }

  @Test
  void rejectsAnOversizedBodyWith413() {
    withServer(
        server -> {
          String huge = "{\"message\":\"" + "x".repeat(ReportValidator.MAX_BODY_BYTES) + "\"}";
          assertError(server.post(huge), 413, "report is larger than 65536 bytes");
          // Also when the client does not say how long the body is (chunked transfer).
          HttpResponse<String> chunked =
              server.send(
                  HttpRequest.newBuilder(URI.create(server.url + "/api/reports"))
                      .POST(
                          HttpRequest.BodyPublishers.ofInputStream(
                              () -> new java.io.ByteArrayInputStream(huge.getBytes()))));
          assertError(chunked, 413, "report is larger than 65536 bytes");
        });
  }

  @Test
  void requiresTheIngestTokenWhenConfigured() {
    withServer(
        Optional.of(INGEST),
        Optional.empty(),
        server -> {
          String body = report().node(1).json();
          HttpResponse<String> none = server.post(body);
          assertError(none, 401, "report ingest needs a bearer token");
          assertThat(none.headers().firstValue("WWW-Authenticate"))
              .get()
              .asString()
              .startsWith("Bearer");
          assertError(
              server.post(body, "Authorization", "Bearer wrong"),
              401,
              "report ingest token is wrong");
          assertError(
              server.post(body, "Authorization", "Basic " + INGEST),
              401,
              "report ingest needs a bearer token");
          HttpResponse<String> ok = server.post(body, "Authorization", "Bearer " + INGEST);
          assertThat(ok.statusCode()).isEqualTo(200);
          // Reading stays open: the dashboard is for operators on the admin network.
          assertThat(json(server.get("/api/fleet")).get("totalNodes").asInt()).isEqualTo(1);
        });
  }

  @Test
  void adminEndpointsAreDisabledWithoutAnAdminToken() {
    withServer(
        server -> {
          server.post(report().node(1).json());
          assertError(
              server.delete("/api/nodes/" + Reports.nodeId(1)),
              403,
              "admin endpoints are disabled: start fleet-web with --admin-token");
          assertThat(json(server.get("/api/fleet")).get("totalNodes").asInt()).isEqualTo(1);
        });
  }

  @Test
  void forgetsANodeWithTheAdminToken() {
    withServer(
        Optional.empty(),
        Optional.of(ADMIN),
        server -> {
          server.post(report().node(1).json());
          String path = "/api/nodes/" + Reports.nodeId(1);
          assertError(server.delete(path), 401, "admin needs a bearer token");
          assertError(
              server.delete(path, "Authorization", "Bearer nope"), 401, "admin token is wrong");
          assertThat(server.delete(path, "Authorization", "Bearer " + ADMIN).statusCode())
              .isEqualTo(204);
          assertError(
              server.delete(path, "Authorization", "Bearer " + ADMIN),
              404,
              "no report from node " + Reports.nodeId(1));
          assertThat(json(server.get("/api/fleet")).get("totalNodes").asInt()).isZero();
        });
  }

  private static String[] signed(KeyPair key, String body) {
    return new String[] {
      ReportSignature.SIGNATURE_HEADER,
      ReportSignature.sign(key.getPrivate(), body.getBytes(StandardCharsets.UTF_8)),
      ReportSignature.PUBLIC_KEY_HEADER,
      ReportSignature.encode(key.getPublic())
    };
  }

  @Test
  void theFirstKeyANodeSignsWithIsPinnedAndNoOtherKeySpeaksForIt() {
    KeyPair node = ReportSignature.generate();
    KeyPair attacker = ReportSignature.generate();
    withServer(
        server -> {
          String first = report().node(1).json();
          assertThat(server.post(first, signed(node, first)).statusCode()).isEqualTo(200);

          String later = report().node(1).finishedAt(NOW.plusSeconds(60)).json();
          assertThat(server.post(later, signed(node, later)).statusCode()).isEqualTo(200);

          String forged =
              report()
                  .node(1)
                  .action(Action.ROLLED_BACK)
                  .reason("health-check-failed", "forged")
                  .finishedAt(NOW.plusSeconds(120))
                  .json();
          assertError(
              server.post(forged, signed(attacker, forged)),
              403,
              "node "
                  + Reports.nodeId(1)
                  + " is pinned to another key than "
                  + ReportSignature.fingerprint(attacker.getPublic())
                  + " (an operator can re-enrol a reinstalled node with DELETE"
                  + " /api/nodes/ID/key)");
          assertError(
              server.post(forged),
              401,
              "node "
                  + Reports.nodeId(1)
                  + " has a pinned key: its reports must be signed (an operator can re-enrol a"
                  + " reinstalled node with DELETE /api/nodes/ID/key)");
          // A signature made for another body (a replayed header) does not verify.
          assertError(
              server.post(forged, signed(node, later)),
              401,
              "the report's signature does not match its body and key");
          assertThat(json(server.get("/api/nodes/" + Reports.nodeId(1))).get("action").asText())
              .isEqualTo("unchanged");
        });
  }

  @Test
  void anOperatorReEnrolsAReinstalledNodeWithTheAdminToken() {
    KeyPair old = ReportSignature.generate();
    KeyPair reinstalled = ReportSignature.generate();
    withServer(
        Optional.empty(),
        Optional.of(ADMIN),
        server -> {
          String first = report().node(1).json();
          assertThat(server.post(first, signed(old, first)).statusCode()).isEqualTo(200);
          String fresh = report().node(1).finishedAt(NOW.plusSeconds(60)).json();
          assertThat(server.post(fresh, signed(reinstalled, fresh)).statusCode()).isEqualTo(403);

          String key = "/api/nodes/" + Reports.nodeId(1) + "/key";
          assertError(server.delete(key), 401, "admin needs a bearer token");
          assertThat(server.delete(key, "Authorization", "Bearer " + ADMIN).statusCode())
              .isEqualTo(204);
          assertError(
              server.delete(key, "Authorization", "Bearer " + ADMIN),
              404,
              "no key is pinned to node " + Reports.nodeId(1));

          assertThat(server.post(fresh, signed(reinstalled, fresh)).statusCode()).isEqualTo(200);
          String replayed = report().node(1).finishedAt(NOW.plusSeconds(90)).json();
          assertThat(server.post(replayed, signed(old, replayed)).statusCode()).isEqualTo(403);
        });
  }

  @Test
  void aBrokenSignatureHeaderIsRefusedBeforeTheBodyIsRead() {
    withServer(
        server -> {
          String body = report().node(1).json();
          assertError(
              server.post(body, ReportSignature.SIGNATURE_HEADER, "abc"),
              400,
              "a signed report needs both X-Sluice-Signature and X-Sluice-Public-Key");
          assertError(
              server.post(
                  body,
                  ReportSignature.SIGNATURE_HEADER,
                  "abc",
                  ReportSignature.PUBLIC_KEY_HEADER,
                  "AAAA"),
              400,
              "X-Sluice-Public-Key: the public key is not a base64 Ed25519 key");
        });
  }

  @Test
  void filtersAndPagesNodes() {
    withServer(
        server -> {
          for (int n = 1; n <= 7; n++) {
            server.post(report().node(n).groups(n <= 3 ? "farm-1" : "farm-2").json());
          }
          server.post(
              report()
                  .node(8)
                  .preprod()
                  .action(Action.HELD)
                  .reason("paused", "preprod paused")
                  .json());

          JsonNode page = json(server.get("/api/nodes?limit=3"));
          assertThat(page.get("total").asInt()).isEqualTo(8);
          assertThat(page.get("nodes")).hasSize(3);
          assertThat(page.get("next").asText()).isEqualTo(Reports.nodeId(3));
          JsonNode second = json(server.get("/api/nodes?limit=3&after=" + Reports.nodeId(3)));
          assertThat(second.at("/nodes/0/node").asText()).isEqualTo(Reports.nodeId(4));
          JsonNode byOffset = json(server.get("/api/nodes?limit=3&offset=3"));
          assertThat(byOffset.get("nodes")).isEqualTo(second.get("nodes"));

          assertThat(json(server.get("/api/nodes?q=FARM-1")).get("total").asInt()).isEqualTo(3);
          assertThat(
                  json(server.get("/api/nodes?channel=preprod&action=held")).get("total").asInt())
              .isEqualTo(1);
          assertThat(json(server.get("/api/nodes?version=v1.0.0")).get("total").asInt())
              .isEqualTo(8);
          assertThat(json(server.get("/api/nodes?q=%25")).get("total").asInt()).isZero();

          assertError(server.get("/api/nodes?limit=0"), 400, "limit must be between 1 and 500");
          assertError(
              server.get("/api/nodes?limit=x"), 400, "query parameter 'limit' must be a number");
          assertError(server.get("/api/nodes?offset=-1"), 400, "offset must not be negative");
        });
  }

  @Test
  void findsNodesByAnyPartOfTheirNameIgnoringCase() {
    withServer(
        server -> {
          String[] names = {"Flux-Node-042.eu", "flux-node-420.us", "edge_7", "EDGE%7", null};
          for (int n = 0; n < names.length; n++) {
            HttpResponse<String> stored =
                server.post(
                    report()
                        .node(n + 1)
                        .name(names[n])
                        .remote("https://deploy:s3cret@mirror.example/app.git")
                        .json());
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
          }

          JsonNode flux = json(server.get("/api/nodes?name=FLUX-NODE"));
          assertThat(flux.get("total").asInt()).isEqualTo(2);
          assertThat(flux.at("/nodes/0/name").asText()).isEqualTo("Flux-Node-042.eu");
          assertThat(flux.at("/nodes/0/updaterVersion").asText()).isEqualTo("1.4.0");
          assertThat(json(server.get("/api/nodes?name=042")).get("total").asInt()).isEqualTo(1);
          assertThat(json(server.get("/api/nodes?name=eu")).get("total").asInt()).isEqualTo(1);
          // % and _ are literal characters, not wildcards.
          JsonNode percent = json(server.get("/api/nodes?name=e%257"));
          assertThat(percent.get("total").asInt()).isEqualTo(1);
          assertThat(percent.at("/nodes/0/name").asText()).isEqualTo("EDGE%7");
          assertThat(json(server.get("/api/nodes?name=e_7")).get("total").asInt()).isEqualTo(1);
          assertThat(json(server.get("/api/nodes?name=nobody")).get("total").asInt()).isZero();
          assertThat(json(server.get("/api/nodes?name=flux&channel=preprod")).get("total").asInt())
              .isZero();
          // The general search finds names too.
          assertThat(json(server.get("/api/nodes?q=edge")).get("total").asInt()).isEqualTo(2);

          // A renamed node is found by its new name only; a forgotten one not at all.
          server.post(
              report()
                  .node(3)
                  .name("renamed-3")
                  .finishedAt(java.time.Instant.parse("2026-11-20T12:01:00Z"))
                  .json());
          assertThat(json(server.get("/api/nodes?name=edge_")).get("total").asInt()).isZero();
          assertThat(json(server.get("/api/nodes?name=RENAMED")).get("total").asInt()).isEqualTo(1);

          String stored = server.get("/api/nodes/" + Reports.nodeId(1)).body();
          assertThat(stored).contains("mirror.example").doesNotContain("s3cret");
          assertError(
              server.get("/api/nodes?name=" + "x".repeat(129)),
              400,
              "name is longer than 128 characters");
        });
  }

  @Test
  void promotionHealthKeepsTheContractChannelAdminCalls() {
    withServer(
        server -> {
          for (int n = 1; n <= 4; n++) {
            server.post(report().node(n).preprod().finishedAt(NOW).json());
          }
          Instant released = NOW.plus(Duration.ofMinutes(30));
          clock.set(NOW.plus(Duration.ofHours(1)));
          Instant after = NOW.plus(Duration.ofMinutes(50));
          server.post(
              report()
                  .node(1)
                  .preprod()
                  .on(COMMIT_B, "v2.0.0_pre")
                  .action(Action.UPDATED)
                  .finishedAt(after)
                  .json());
          server.post(
              report().node(2).preprod().on(COMMIT_B, "v2.0.0_pre").finishedAt(after).json());
          server.post(
              report()
                  .node(3)
                  .preprod()
                  .target(COMMIT_B)
                  .action(Action.ROLLED_BACK)
                  .reason("health-check-failed", "exit 1")
                  .finishedAt(after)
                  .json());
          // Five forged ids that were never seen before the release do not count.
          for (int n = 50; n < 55; n++) {
            server.post(
                report().node(n).preprod().on(COMMIT_B, "v2.0.0_pre").finishedAt(after).json());
          }

          HttpResponse<String> response =
              server.get("/api/promotion-health?commit=" + COMMIT_B + "&releasedAt=" + released);
          assertThat(response.statusCode()).isEqualTo(200);
          JsonNode health = json(response);
          assertThat(health.get("commit").asText()).isEqualTo(COMMIT_B);
          assertThat(health.get("releasedAt").asText()).isEqualTo(released.toString());
          assertThat(health.get("healthyNodes").asInt()).isEqualTo(2);
          assertThat(health.get("failedNodes").asInt()).isEqualTo(1);
          assertThat(health.get("failureRatio").asDouble()).isEqualTo(1.0 / 3);
          assertThat(health.get("preprodNodesSeen").asInt()).isEqualTo(3);
          assertThat(Json.mapper().convertValue(health, HealthReport.class))
              .isEqualTo(HealthReport.of(COMMIT_B, 2, 1, 3));

          assertError(
              server.get("/api/promotion-health"), 400, "query parameter 'commit' is required");
          assertError(
              server.get("/api/promotion-health?commit=" + COMMIT_B),
              400,
              "query parameter 'releasedAt' is required: the candidate's release time (ISO-8601)");
          assertError(
              server.get("/api/promotion-health?commit=abc&releasedAt=" + released),
              400,
              "commit must be 40 hex digits");
        });
  }

  @Test
  void servesTheDashboardWithAStrictContentSecurityPolicy() {
    withServer(
        server -> {
          for (String path : new String[] {"/", "/app.js", "/app.css", "/api/fleet"}) {
            HttpResponse<String> response = server.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Security-Policy"))
                .as(path)
                .contains(FleetServer.CONTENT_SECURITY_POLICY);
            assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
          }
          String page = server.get("/").body();
          assertThat(page).contains("<script src=\"/app.js\" defer></script>");
          // No inline script anywhere: the CSP would block it, and node data must never run.
          assertThat(page.replace("<script src=\"/app.js\" defer></script>", ""))
              .doesNotContain("<script");
          assertThat(server.get("/app.js").body()).doesNotContain("innerHTML");
          assertError(server.get("/api/nope"), 404, "no such endpoint: /api/nope");
        });
  }

  @Test
  void servesTheAdoptionHistory() {
    withServer(
        server -> {
          server.post(report().node(1).json());
          JsonNode adoption = json(server.get("/api/adoption?days=7"));
          assertThat(adoption.get("to").asText()).isEqualTo("2026-11-20");
          assertThat(adoption.at("/points/0/version").asText()).isEqualTo("v1.0.0");
          assertThat(adoption.at("/points/0/nodes").asInt()).isEqualTo(1);
          assertError(server.get("/api/adoption?days=0"), 400, "days must be between 1 and 366");
        });
  }

  @Test
  void credentialsInTheRemoteOrInReportsAreNeverServedOrStored() throws Exception {
    String secret = "tok3n-" + java.util.UUID.randomUUID();
    String remote = "http://deploy:" + secret + "@127.0.0.1:1/fleet.git";
    channels =
        Optional.of(
            new ChannelsService(
                remote,
                dir.resolve("cache"),
                ChannelStatusReader.withDefaultChannels(),
                Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ofDays(7),
                (commit, releasedAt) -> PromotionHealth.of(commit, releasedAt, 0, 0, 0),
                System::nanoTime,
                Duration.ofSeconds(30)));
    StringBuilder served = new StringBuilder();
    withServer(
        server -> {
          HttpResponse<String> status = server.get("/api/channels");
          assertThat(json(status).get("remote").asText())
              .isEqualTo("http://***@127.0.0.1:1/fleet.git");
          served.append(status.body());
          assertThat(
                  server
                      .post(
                          report()
                              .node(1)
                              .action(Action.OFFLINE)
                              .message("cannot fetch " + remote + ": connection refused")
                              .json())
                      .statusCode())
              .isEqualTo(200);
          for (String path :
              new String[] {"/api/nodes/" + Reports.nodeId(1), "/api/nodes", "/api/fleet"}) {
            served.append(server.get(path).body());
          }
          assertThat(json(server.get("/api/nodes/" + Reports.nodeId(1))).get("message").asText())
              .isEqualTo("cannot fetch http://***@127.0.0.1:1/fleet.git: connection refused");
        });
    assertThat(served.toString()).doesNotContain(secret);
    writer.close();
    database.close();
    for (Path file : Files.walk(dir).filter(Files::isRegularFile).toList()) {
      assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
          .as(file.toString())
          .doesNotContain(secret);
    }
    database = FleetDatabase.open(dir.resolve("fleet.db"));
    writer = null;
  }

  @Test
  void servesMetricsHealthAndReadiness() {
    withServer(
        server -> {
          server.post(report().node(1).json());
          server.post("{}");
          server.get("/api/fleet");
          HttpResponse<String> metrics = server.get("/metrics");
          assertThat(metrics.statusCode()).isEqualTo(200);
          assertThat(metrics.body())
              .contains("fleet_web_reports_total{result=\"stored\"} 1.0")
              .contains("fleet_web_reports_total{result=\"invalid\"} 1.0")
              .contains("fleet_web_nodes{action=\"\",channel=\"stable\",version=\"\"} 1.0")
              .contains(
                  "fleet_web_request_duration_seconds_count{method=\"GET\",route=\"/api/fleet\"")
              .contains("fleet_web_database_bytes");
          assertThat(server.get("/healthz").body()).isEqualTo("ok\n");
          HttpResponse<String> ready = server.get("/readyz");
          assertThat(ready.statusCode()).isEqualTo(200);
          writer.close();
          HttpResponse<String> stopped = server.get("/readyz");
          assertThat(stopped.statusCode()).isEqualTo(503);
          assertThat(stopped.body()).contains("the report writer has stopped");
        });
  }

  @Test
  void aReadTokenProtectsTheDashboardButNotTheProbes() {
    Clock fixed = Clock.fixed(NOW, ZoneOffset.UTC);
    writer = new ReportWriter(new ReportStore(database), fixed);
    FleetService fleet = new FleetService(database, fixed);
    Javalin app =
        FleetServer.create(
            new FleetServer.Deps(
                fleet,
                new ReportValidator(fixed),
                writer,
                fixed,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                new FleetServer.Access(Optional.of("reader"), false),
                FleetServer.Limits.DEFAULT,
                new dev.sluice.web.metrics.FleetMetrics(fleet, () -> 0)));
    JavalinTest.test(
        app,
        (s, client) -> {
          Base server = new Base("http://localhost:" + s.port());
          HttpResponse<String> anonymous = server.get("/api/fleet");
          assertThat(anonymous.statusCode()).isEqualTo(401);
          assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
              .get()
              .asString()
              .startsWith("Basic");
          assertThat(server.get("/").statusCode()).isEqualTo(401);
          assertThat(
                  server
                      .send(
                          HttpRequest.newBuilder(URI.create(server.url + "/api/fleet"))
                              .header("Authorization", "Bearer reader"))
                      .statusCode())
              .isEqualTo(200);
          String basic =
              java.util.Base64.getEncoder()
                  .encodeToString("ops:reader".getBytes(StandardCharsets.UTF_8));
          assertThat(
                  server
                      .send(
                          HttpRequest.newBuilder(URI.create(server.url + "/"))
                              .header("Authorization", "Basic " + basic))
                      .statusCode())
              .isEqualTo(200);
          assertThat(server.get("/healthz").statusCode()).isEqualTo(200);
          assertThat(server.get("/readyz").statusCode()).isEqualTo(200);
          // Posting is the ingest token's business, not the read token's.
          assertThat(server.post(report().node(1).json()).statusCode()).isEqualTo(200);
        });
  }

  @Test
  void channelStatusIsOffWithoutARemote() {
    withServer(
        server ->
            assertError(
                server.get("/api/channels"),
                404,
                "channel status is off: start fleet-web with --remote URL"));
  }

  @Test
  void anUnreachableRemoteIsReportedInTheErrorField() {
    String missing = dir.resolve("gone.git").toUri().toString();
    channels =
        Optional.of(
            new ChannelsService(
                missing,
                dir.resolve("cache"),
                ChannelStatusReader.withDefaultChannels(),
                Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ofDays(7),
                (commit, releasedAt) -> PromotionHealth.of(commit, releasedAt, 0, 0, 0),
                System::nanoTime,
                Duration.ofSeconds(30)));
    withServer(
        server -> {
          HttpResponse<String> response = server.get("/api/channels");
          assertThat(response.statusCode()).isEqualTo(200);
          JsonNode body = json(response);
          assertThat(body.get("remote").asText()).isEqualTo(missing);
          assertThat(body.get("error").asText()).contains("gone.git");
          assertThat(body.get("channels")).isEmpty();
        });
  }
}
