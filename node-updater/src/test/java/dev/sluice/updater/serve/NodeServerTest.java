package dev.sluice.updater.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.json.Json;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.updater.TestNode;
import dev.sluice.updater.apply.ApplySettings;
import dev.sluice.updater.apply.HookCommand;
import dev.sluice.updater.run.RunRequest;
import io.javalin.testtools.JavalinTest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeServerTest {

  @TempDir Path tmp;

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

      JavalinTest.test(
          NodeServer.create(new NodeInfoService(node.state)),
          (server, client) -> {
            JsonNode info = Json.mapper().readTree(client.get("/info").body().string());
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

            String metrics = client.get("/metrics").body().string();
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
            assertThat(client.get("/metrics").header("Content-Type"))
                .startsWith("text/plain; version=0.0.4");

            assertThat(client.get("/healthz").code()).isEqualTo(200);
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

      JavalinTest.test(
          NodeServer.create(new NodeInfoService(node.state)),
          (server, client) -> {
            String metrics = client.get("/metrics").body().string();
            assertThat(metrics)
                .contains("sluice_update_failures_total 1.0")
                .contains("sluice_last_run_success 0.0")
                .contains("sluice_runs_total{action=\"rolled-back\"} 1.0");
            JsonNode info = Json.mapper().readTree(client.get("/info").body().string());
            assertThat(info.get("lastRun").get("reason").get("code").asText())
                .isEqualTo("post-update-failed");
          });
    }
  }

  @Test
  void missingStateAnswers503WithTheReason() {
    JavalinTest.test(
        NodeServer.create(new NodeInfoService(tmp.resolve("none.db"))),
        (server, client) -> {
          var response = client.get("/info");
          assertThat(response.code()).isEqualTo(503);
          assertThat(response.body().string()).contains("has not run here yet");
          assertThat(client.get("/healthz").code()).isEqualTo(200);
        });
  }
}
