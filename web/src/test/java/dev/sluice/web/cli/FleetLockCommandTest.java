package dev.sluice.web.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.json.Json;
import dev.sluice.core.testing.TestRemote;
import io.javalin.Javalin;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet-web command serves FleetLock with the limits of its --remote's rollout policy. */
class FleetLockCommandTest {

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int serve(Consumer<String> whileUp, String... args) {
    FleetWebCommand.Stopper stopper =
        new FleetWebCommand.Stopper() {
          @Override
          public void awaitStop(Javalin app) {
            whileUp.accept("http://127.0.0.1:" + app.port());
          }

          @Override
          public void finished() {}
        };
    return FleetWebMain.run(new PrintWriter(out, true), new PrintWriter(err, true), stopper, args);
  }

  private static HttpResponse<String> preReboot(String base, String id) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create(base + "/v1/pre-reboot"))
                  .header("fleet-lock-protocol", "true")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"client_params\":{\"id\":\"" + id + "\",\"group\":\"stable\"}}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void slotsFollowTheLimitsOfTheRemotesPolicy() {
    List<HttpResponse<String>> answers = new ArrayList<>();
    try (TestRemote remote = TestRemote.create(dir)) {
      remote.commit(
          "rollout-policy",
          "limit stable",
          Map.of(
              "channels.json",
              "{\"schema\": 1, \"updateLimits\": {\"channels\": {\"stable\":"
                  + " {\"maxConcurrentUpdates\": 1}}}}\n"));
      int code =
          serve(
              base -> {
                answers.add(preReboot(base, "node-1"));
                answers.add(preReboot(base, "node-2"));
              },
              "--db",
              dir.resolve("fleet.db").toString(),
              "--port",
              "0",
              "--remote",
              remote.uri());
      assertThat(code).as(err.toString()).isZero();
    }
    assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(200, 409);
  }

  @Test
  void withoutARemoteTheLimitsAreUnknownAndSaidSo() throws Exception {
    List<HttpResponse<String>> answers = new ArrayList<>();
    int code =
        serve(
            base -> answers.add(preReboot(base, "node-1")),
            "--db",
            dir.resolve("fleet.db").toString(),
            "--port",
            "0");
    assertThat(code).as(err.toString()).isZero();
    assertThat(answers.get(0).statusCode()).isEqualTo(503);
    JsonNode body = Json.mapper().readTree(answers.get(0).body());
    assertThat(body.path("kind").asText()).isEqualTo("failed_lock_no_policy");
    assertThat(body.path("value").asText()).contains("--remote");
  }
}
