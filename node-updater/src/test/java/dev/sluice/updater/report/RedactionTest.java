package dev.sluice.updater.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.json.Json;
import dev.sluice.core.report.Action;
import dev.sluice.core.report.NodeReport;
import dev.sluice.core.report.Redaction;
import dev.sluice.updater.state.Database;
import dev.sluice.updater.state.RunStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedactionTest {

  static final String TOKEN = "ghp_0ldR0wT0ken";
  static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");

  @TempDir Path tmp;

  static NodeReport quoting(String url) {
    return new NodeReport(
        "6f1c2a4e-3b5d-4c7e-9f8a-1b2c3d4e5f60",
        "stable",
        false,
        List.of(),
        new NodeReport.Lottery(0.5, 0.07, NOW, NOW, "drawn"),
        null,
        null,
        null,
        null,
        Action.OFFLINE,
        "remote " + url + " is unreachable",
        new NodeReport.Reason("remote-unreachable", "remote " + url + " is unreachable"),
        null,
        List.of("cannot fetch from " + url),
        NOW,
        NOW);
  }

  @Test
  void messageReasonAndWarningsLoseTheUserInfo() {
    NodeReport redacted = Redaction.report(quoting("https://ci:" + TOKEN + "@git.example/r.git"));
    assertThat(Json.write(redacted)).doesNotContain(TOKEN);
    assertThat(redacted.message()).isEqualTo("remote https://***@git.example/r.git is unreachable");
    assertThat(redacted.reason().text()).contains("https://***@git.example/r.git");
    assertThat(redacted.warnings())
        .containsExactly("cannot fetch from https://***@git.example/r.git");
  }

  @Test
  void aRunRecordedByAnOlderVersionIsRedactedWhenReadBack() {
    Path state = tmp.resolve("state.db");
    try (Database database = Database.open(state, NOW)) {
      new RunStore(database).record(quoting("https://ci:" + TOKEN + "@git.example/r.git"));
    }
    try (Database database = Database.openReadOnly(state)) {
      NodeReport read = new RunStore(database).last().orElseThrow();
      assertThat(Json.write(read)).doesNotContain(TOKEN).contains("https://***@git.example/r.git");
    }
  }
}
