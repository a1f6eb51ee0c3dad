package dev.sluice.updater.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.json.Json;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.updater.TestNode;
import dev.sluice.updater.apply.ApplySettings;
import dev.sluice.updater.apply.HookCommand;
import dev.sluice.updater.run.RunRequest;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeServerTest {

  @TempDir Path tmp;

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** A running server and a GET against it, over real HTTP. */
  private final class Client {
    final NodeServer server;

    Client(NodeServer server) {
      this.server = server;
    }

    HttpResponse<String> get(String path) throws Exception {
      return send(path, "GET");
    }

    HttpResponse<String> send(String path, String method) throws Exception {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
              .method(method, HttpRequest.BodyPublishers.noBody())
              .timeout(Duration.ofSeconds(20))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  private interface Check {
    void check(Client client) throws Exception;
  }

  private void serving(Path state, Check check) throws Exception {
    try (NodeServer server = NodeServer.start(new NodeInfoService(state), "127.0.0.1", 0)) {
      check.check(new Client(server));
    }
  }

  @Test
  void infoShowsPreprodFlagChannelVersionCommitLotteryAndLastRun() throws Exception {
    try (TestRemote remote = TestRemote.create(tmp)) {
      var commit = remote.commit("preprod", "pre", Map.of("app.txt", "pre\n"));
      remote.tag("v2.0.0_pre", commit, "release");
      TestNode node =
          new TestNode(tmp.resolve("node"), remote.uri(), Instant.parse("2026-02-01T00:00:00Z"), 1);
      node.nextTicket(0.03);
      String nodeId =
          node.run(
                  r ->
                      r.withGroups(java.util.List.of("farm-1", "eu"))
                          .withIdentity(
                              new dev.sluice.updater.state.NodeIdentity.Source(
                                  null, null, "flux-node-042")))
              .report()
              .node();

      serving(
          node.state,
          client -> {
            JsonNode info = Json.mapper().readTree(client.get("/info").body());
            assertThat(info.get("node").asText()).isEqualTo(nodeId);
            assertThat(info.get("preprod").asBoolean()).isTrue();
            assertThat(info.get("channel").asText()).isEqualTo("preprod");
            assertThat(info.get("version").asText()).isEqualTo("v2.0.0_pre");
            assertThat(info.get("commit").asText()).isEqualTo(commit.name());
            assertThat(info.get("lottery").get("ticket").asDouble()).isEqualTo(0.03);
            assertThat(info.get("lottery").get("weight").asDouble()).isEqualTo(0.07);
            assertThat(info.get("lottery").get("drawnAt").asText())
                .isEqualTo("2026-02-01T00:00:00Z");
            assertThat(info.get("lottery").get("nextDrawAt").asText())
                .isEqualTo("2026-03-01T00:00:00Z");
            assertThat(info.get("lastRun").get("action").asText()).isEqualTo("updated");
            assertThat(info.get("name").asText()).isEqualTo("flux-node-042");
            assertThat(info.get("groups").toString()).isEqualTo("[\"farm-1\",\"eu\"]");
            assertThat(info.get("updaterVersion").asText())
                .isEqualTo(dev.sluice.updater.run.UpdaterVersion.current());
            assertThat(info.get("remote").asText()).isEqualTo(remote.uri());

            String metrics = client.get("/metrics").body();
            assertThat(metrics)
                .contains("sluice_node_preprod 1.0")
                .contains(
                    "sluice_node_info{channel=\"preprod\",commit=\""
                        + commit.name()
                        + "\",node=\""
                        + nodeId
                        + "\",version=\"v2.0.0_pre\"} 1")
                .contains("sluice_last_run_timestamp_seconds ")
                .contains("sluice_update_failures_total 0.0")
                .contains("sluice_runs_total{action=\"updated\"} 1.0")
                .contains("# TYPE sluice_update_failures_total counter");
            assertThat(client.get("/metrics").headers().firstValue("Content-Type").orElse(""))
                .startsWith("text/plain; version=0.0.4");

            assertThat(client.get("/healthz").statusCode()).isEqualTo(200);
          });
    }
  }

  @Test
  void failuresAreCountedInMetrics() throws Exception {
    try (TestRemote remote = TestRemote.create(tmp)) {
      TestNode node =
          new TestNode(tmp.resolve("node"), remote.uri(), Instant.parse("2026-02-01T00:00:00Z"), 1);
      node.nextTicket(0.5);
      node.run();
      remote.commit("master", "bad", Map.of("app.txt", "bad\n"));
      node.run(
          r ->
              r.withApply(
                  ApplySettings.none(RunRequest.defaultLogDir(r.state()))
                      .withPostUpdate(
                          new HookCommand("sh -c '[ \"$SLUICE_PHASE\" = restore ]'", false))));

      serving(
          node.state,
          client -> {
            String metrics = client.get("/metrics").body();
            assertThat(metrics)
                .contains("sluice_update_failures_total 1.0")
                .contains("sluice_last_run_success 0.0")
                .contains("sluice_runs_total{action=\"rolled-back\"} 1.0");
            JsonNode info = Json.mapper().readTree(client.get("/info").body());
            assertThat(info.get("lastRun").get("reason").get("code").asText())
                .isEqualTo("post-update-failed");
          });
    }
  }

  @Test
  void missingStateAnswers503WithTheReason() throws Exception {
    serving(
        tmp.resolve("none.db"),
        client -> {
          var response = client.get("/info");
          assertThat(response.statusCode()).isEqualTo(503);
          assertThat(response.body()).contains("has not run here yet");
          assertThat(client.get("/healthz").statusCode()).isEqualTo(200);
        });
  }

  @Test
  void onlyGetAndHeadOfTheThreePathsAreAnswered() throws Exception {
    serving(
        tmp.resolve("none.db"),
        client -> {
          assertThat(client.get("/healthz/extra").statusCode()).isEqualTo(404);
          assertThat(client.get("/").statusCode()).isEqualTo(404);
          assertThat(client.get("/infox").statusCode()).isEqualTo(404);
          HttpResponse<String> post = client.send("/healthz", "POST");
          assertThat(post.statusCode()).isEqualTo(405);
          assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
          HttpResponse<String> head = client.send("/healthz", "HEAD");
          assertThat(head.statusCode()).isEqualTo(200);
          assertThat(head.body()).isEmpty();
        });
  }

  @Test
  void aClientThatNeverFinishesItsRequestDoesNotStopOthers() throws Exception {
    serving(
        tmp.resolve("none.db"),
        client -> {
          // More half-sent requests than the server has worker threads, held open.
          List<Socket> slow = new ArrayList<>();
          try {
            for (int i = 0; i < 6; i++) {
              Socket socket = new Socket("127.0.0.1", client.server.port());
              socket.getOutputStream().write("GET /info HTTP/1.1\r\nHost: x\r\n".getBytes());
              socket.getOutputStream().flush();
              slow.add(socket);
            }
            assertThat(client.get("/healthz").statusCode()).isEqualTo(200);
          } finally {
            for (Socket socket : slow) {
              socket.close();
            }
          }
        });
  }
}
