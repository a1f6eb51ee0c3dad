package dev.sluice.updater.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.core.json.Json;
import dev.sluice.core.report.NodeReport;
import dev.sluice.core.report.ReportSignature;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.updater.cli.NodeUpdaterMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportSenderTest {

  @TempDir Path tmp;

  HttpServer server;
  final List<String> bodies = new CopyOnWriteArrayList<>();
  final List<String> auth = new CopyOnWriteArrayList<>();
  final List<String> signatures = new CopyOnWriteArrayList<>();
  final List<String> keys = new CopyOnWriteArrayList<>();
  volatile int status = 202;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/reports",
        exchange -> {
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          auth.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
          signatures.add(
              String.valueOf(
                  exchange.getRequestHeaders().getFirst(ReportSignature.SIGNATURE_HEADER)));
          keys.add(
              String.valueOf(
                  exchange.getRequestHeaders().getFirst(ReportSignature.PUBLIC_KEY_HEADER)));
          byte[] answer = "{\"error\":\"bad report\"}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    if (remote != null) {
      remote.close();
    }
  }

  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  TestRemote remote;

  int run(String reportTo, StringWriter out) {
    if (remote == null) {
      remote = TestRemote.create(tmp);
    }
    return NodeUpdaterMain.run(
        new PrintWriter(out),
        new PrintWriter(new StringWriter()),
        "run",
        "--workdir",
        tmp.resolve("w").toString(),
        "--remote",
        remote.uri(),
        "--state",
        tmp.resolve("s.db").toString(),
        "--report-to",
        reportTo);
  }

  @Test
  void runPostsItsReportToTheDashboard() throws Exception {
    StringWriter out = new StringWriter();
    assertThat(run(base(), out)).isZero();
    assertThat(bodies).hasSize(1);
    NodeReport posted = Json.mapper().readValue(bodies.get(0), NodeReport.class);
    assertThat(posted.action().id()).isEqualTo("updated");
    assertThat(out.toString()).doesNotContain("warning");
  }

  @Test
  void everyReportIsSignedWithTheKeyKeptInTheStateFile() {
    assertThat(run(base(), new StringWriter())).isZero();

    assertThat(bodies).hasSize(1);
    PublicKey sent = ReportSignature.decodePublicKey(keys.get(0));
    byte[] body = bodies.get(0).getBytes(StandardCharsets.UTF_8);
    assertThat(ReportSignature.verify(sent, body, signatures.get(0))).isTrue();
    KeyPair stored =
        ReportSender.nodeSigning(tmp.resolve("s.db"), Instant.now()).orElseThrow().key();
    assertThat(stored.getPublic()).isEqualTo(sent);
    byte[] forged = bodies.get(0).replace("updated", "failed").getBytes(StandardCharsets.UTF_8);
    assertThat(ReportSignature.verify(sent, forged, signatures.get(0))).isFalse();
  }

  @Test
  void everyReportCarriesAHigherSequenceNumberAndWhenItWasSent() throws Exception {
    Instant before = Instant.now();
    assertThat(run(base(), new StringWriter())).isZero();
    assertThat(run(base(), new StringWriter())).isZero();

    assertThat(bodies).hasSize(2);
    var first = Json.mapper().readTree(bodies.get(0));
    var second = Json.mapper().readTree(bodies.get(1));
    assertThat(first.get(NodeReport.SCHEMA_FIELD).asInt()).isEqualTo(NodeReport.SCHEMA_VERSION);
    long sequence = first.get(NodeReport.SEQUENCE_FIELD).asLong();
    assertThat(sequence).isGreaterThanOrEqualTo(before.toEpochMilli());
    assertThat(second.get(NodeReport.SEQUENCE_FIELD).asLong()).isGreaterThan(sequence);
    assertThat(Instant.parse(second.get(NodeReport.SENT_AT_FIELD).asText()))
        .isBetween(before, Instant.now());
  }

  @Test
  void theSequenceKeepsRisingWhenTheClockGoesBackAndJumpsWithTheClock() {
    Path state = tmp.resolve("seq.db");
    Instant now = Instant.parse("2026-11-20T12:00:00Z");
    long first = ReportSender.nodeSigning(state, now).orElseThrow().sequence();
    assertThat(first).isEqualTo(now.toEpochMilli());
    long second =
        ReportSender.nodeSigning(state, now.minus(Duration.ofDays(1))).orElseThrow().sequence();
    assertThat(second).isEqualTo(first + 1);
    long third =
        ReportSender.nodeSigning(state, now.plus(Duration.ofDays(1))).orElseThrow().sequence();
    assertThat(third).isEqualTo(now.plus(Duration.ofDays(1)).toEpochMilli());
  }

  @Test
  void refusedReportIsAWarningNotAFailure() {
    status = 400;
    StringWriter out = new StringWriter();
    assertThat(run(base(), out)).isZero();
    assertThat(out.toString())
        .contains("warning:")
        .contains("refused the report: HTTP 400")
        .contains("bad report");
  }

  @Test
  void unreachableDashboardIsAWarningNotAFailure() {
    StringWriter out = new StringWriter();
    assertThat(run("http://127.0.0.1:1", out)).isZero();
    assertThat(out.toString()).contains("warning: cannot report to http://127.0.0.1:1/api/reports");
  }

  @Test
  void tokenIsSentAsBearer() {
    NodeReport report =
        new NodeReport(
            "4a0c1d5e-0000-4000-8000-000000000000",
            "stable",
            false,
            List.of(),
            new NodeReport.Lottery(0.5, 0.07, null, null, "r"),
            null,
            null,
            null,
            null,
            dev.sluice.core.report.Action.OFFLINE,
            "m",
            null,
            null,
            List.of(),
            null,
            null);
    assertThat(new ReportSender(base(), Optional.of("s3cret")).send(report)).isEmpty();
    assertThat(auth).containsExactly("Bearer s3cret");
  }

  @Test
  void notAnHttpUrlIsRefusedUpFront() {
    assertThatThrownBy(() -> new ReportSender("fleet.example:8080", Optional.empty()))
        .hasMessageContaining("not an http(s) URL");
  }
}
