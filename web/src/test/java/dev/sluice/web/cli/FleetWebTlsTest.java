package dev.sluice.web.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.json.Json;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.updater.cli.NodeUpdaterMain;
import dev.sluice.updater.report.ReportTrust;
import dev.sluice.web.http.TlsKeys;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fleet-web serving HTTPS itself with a self-signed certificate made by openssl for this test, and
 * node-updater posting its signed report over it, trusting only that certificate.
 */
class FleetWebTlsTest {

  @TempDir Path dir;
  private Path cert;
  private Path key;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private void openssl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("openssl.log").toFile())
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(dir.resolve("openssl.log"))).isZero();
  }

  /** A self-signed certificate for 127.0.0.1 and localhost, with its key in PKCS#8. */
  private void selfSigned(String name, String... keySpec) throws Exception {
    List<String> args =
        new ArrayList<>(List.of("req", "-x509", "-nodes", "-days", "2", "-subj", "/CN=" + name));
    args.addAll(List.of(keySpec));
    args.addAll(
        List.of(
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            name + ".key",
            "-out",
            name + ".crt"));
    openssl(args.toArray(String[]::new));
  }

  @BeforeEach
  void makeCertificate() throws Exception {
    selfSigned("fleet", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
    cert = dir.resolve("fleet.crt");
    key = dir.resolve("fleet.key");
  }

  private int fleetWeb(java.util.function.Consumer<Javalin> whileUp, String... extra) {
    List<String> args =
        new ArrayList<>(List.of("--db", dir.resolve("fleet.db").toString(), "--port", "0"));
    args.addAll(List.of(extra));
    return FleetWebMain.run(
        new PrintWriter(out, true),
        new PrintWriter(err, true),
        new FleetWebCommand.Stopper() {
          @Override
          public void awaitStop(Javalin app) {
            whileUp.accept(app);
          }

          @Override
          public void finished() {}
        },
        args.toArray(String[]::new));
  }

  private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private int runNode(TestRemote remote, String reportTo, StringWriter nodeOut, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--workdir",
                dir.resolve("node").toString(),
                "--remote",
                remote.uri(),
                "--state",
                dir.resolve("state.db").toString(),
                "--report-to",
                reportTo));
    args.addAll(List.of(extra));
    return NodeUpdaterMain.run(
        new PrintWriter(nodeOut), new PrintWriter(new StringWriter()), args.toArray(String[]::new));
  }

  @Test
  void servesHttpsOnlyAndANodeReportsOverItTrustingTheCertificateItWasGiven() throws Exception {
    List<Throwable> failures = new ArrayList<>();
    int exit =
        fleetWeb(
            app -> {
              try {
                String base = "https://127.0.0.1:" + app.port();
                HttpClient trusting =
                    HttpClient.newBuilder().sslContext(ReportTrust.fromPem(cert)).build();
                HttpResponse<String> health = get(trusting, base + "/healthz");
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).isEqualTo("ok\n");

                // Only TLS is spoken on the port, and a client that does not trust the
                // certificate is refused.
                assertThatThrownBy(
                        () -> get(HttpClient.newHttpClient(), "http://127.0.0.1:" + app.port()))
                    .isInstanceOf(IOException.class);
                assertThatThrownBy(() -> get(HttpClient.newHttpClient(), base + "/healthz"))
                    .isInstanceOf(SSLHandshakeException.class);

                try (TestRemote remote = TestRemote.create(dir)) {
                  StringWriter untrusting = new StringWriter();
                  assertThat(runNode(remote, base, untrusting)).isZero();
                  assertThat(untrusting.toString()).contains("warning: cannot report to " + base);

                  StringWriter nodeOut = new StringWriter();
                  assertThat(runNode(remote, base, nodeOut, "--report-ca", cert.toString()))
                      .isZero();
                  assertThat(nodeOut.toString()).doesNotContain("warning");
                }
                JsonNode nodes = Json.mapper().readTree(get(trusting, base + "/api/nodes").body());
                assertThat(nodes.get("total").asInt()).isEqualTo(1);
                JsonNode node = nodes.get("nodes").get(0);
                JsonNode stored =
                    Json.mapper()
                        .readTree(
                            get(trusting, base + "/api/nodes/" + node.get("node").asText()).body());
                assertThat(stored.get("action").asText()).isEqualTo("unchanged");
                assertThat(get(trusting, base + "/metrics").body())
                    .contains("fleet_web_reports_total{result=\"stored\"} 1.0");
              } catch (Throwable e) {
                failures.add(e);
              }
            },
            "--tls-cert",
            cert.toString(),
            "--tls-key",
            key.toString());
    if (!failures.isEmpty()) {
      throw new AssertionError(failures.get(0));
    }
    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains("fleet-web listening on https://127.0.0.1:");
  }

  @Test
  void readsTheUsualKeyFormsAndRefusesAWrongOrEncryptedKeyInOneLine() throws Exception {
    openssl("ec", "-in", "fleet.key", "-out", "fleet-sec1.key");
    assertThat(Files.readString(dir.resolve("fleet-sec1.key"))).contains("BEGIN EC PRIVATE KEY");
    assertThat(TlsKeys.read(cert, dir.resolve("fleet-sec1.key")).certificate())
        .isEqualTo(TlsKeys.read(cert, key).certificate());

    selfSigned("rsa", "-newkey", "rsa:2048");
    openssl("rsa", "-traditional", "-in", "rsa.key", "-out", "rsa-pkcs1.key");
    assertThat(Files.readString(dir.resolve("rsa-pkcs1.key"))).contains("BEGIN RSA PRIVATE KEY");
    assertThat(TlsKeys.read(dir.resolve("rsa.crt"), dir.resolve("rsa-pkcs1.key")).certificate())
        .isNotNull();

    assertThatThrownBy(() -> TlsKeys.read(cert, dir.resolve("rsa.key")))
        .hasMessage(
            "--tls-key "
                + dir.resolve("rsa.key")
                + " is not the key of the certificate in "
                + cert);
    openssl("pkey", "-in", "fleet.key", "-aes256", "-passout", "pass:secret", "-out", "locked.key");
    assertThatThrownBy(() -> TlsKeys.read(cert, dir.resolve("locked.key")))
        .hasMessageContaining("is encrypted");
    Files.writeString(dir.resolve("empty.crt"), "not a certificate\n", StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> TlsKeys.read(dir.resolve("empty.crt"), key))
        .hasMessageStartingWith("--tls-cert " + dir.resolve("empty.crt"));

    assertThat(fleetWeb(app -> {}, "--tls-cert", cert.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--tls-cert and --tls-key go together");
    assertThat(fleetWeb(app -> {}, "--tls-cert", cert.toString(), "--tls-key", "missing.key"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--tls-key missing.key does not exist");
  }
}
