package dev.sluice.web.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.json.Json;
import dev.sluice.core.report.Action;
import dev.sluice.web.testing.Reports;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ReportValidatorTest {

  private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
  private final ReportValidator validator = new ReportValidator(Clock.fixed(NOW, ZoneOffset.UTC));

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String edited(Consumer<ObjectNode> edit) {
    ObjectNode tree = Json.mapper().valueToTree(Reports.report().build());
    edit.accept(tree);
    return tree.toString();
  }

  private void assertRejected(String json, String reason) {
    assertThatThrownBy(() -> validator.validate(bytes(json)))
        .isInstanceOf(InvalidReportException.class)
        .hasMessage(reason);
  }

  @Test
  void acceptsWhatNodeUpdaterPrintsAndNormalisesCase() {
    String node = "ABCDEF01-2345-4678-89AB-CDEF01234567";
    var report =
        validator.validate(
            bytes(
                edited(
                    t -> {
                      t.put("node", node);
                      t.put("currentCommit", "A".repeat(40));
                      t.put("schema", 1);
                    })));
    assertThat(report.node()).isEqualTo(node.toLowerCase());
    assertThat(report.currentCommit()).isEqualTo("a".repeat(40));
    assertThat(report.action()).isEqualTo(Action.UNCHANGED);
  }

  @Test
  void acceptsTheNodesNameVersionAndRemoteAndRedactsTheRemote() {
    var report =
        validator.validate(
            bytes(
                edited(
                    t -> {
                      t.put("name", "flux-node-042");
                      t.put("updaterVersion", "1.4.0");
                      t.put("remote", "https://deploy:s3cret@mirror.example/app.git");
                    })));
    assertThat(report.name()).isEqualTo("flux-node-042");
    assertThat(report.updaterVersion()).isEqualTo("1.4.0");
    assertThat(report.remote()).isEqualTo("https://***@mirror.example/app.git");

    var older = validator.validate(bytes(Reports.report().json()));
    assertThat(older.name()).isNull();
    assertThat(older.updaterVersion()).isNull();
  }

  @Test
  void refusesANameOrVersionThatIsEmptyTooLongOrHasControlCharacters() {
    String rule = " must be 1 to 128 characters without control characters";
    assertRejected(edited(t -> t.put("name", "")), "field 'name'" + rule);
    assertRejected(edited(t -> t.put("name", "x".repeat(129))), "field 'name'" + rule);
    assertRejected(edited(t -> t.put("name", "node\nfake line")), "field 'name'" + rule);
    assertRejected(
        edited(t -> t.put("updaterVersion", "1\u0007")), "field 'updaterVersion'" + rule);
    assertRejected(edited(t -> t.put("name", 42)), "field 'name' must be string, not number");
    assertRejected(
        edited(t -> t.put("remote", "x".repeat(2049))),
        "field 'remote' is longer than 2048 characters");
  }

  @Test
  void refusesUnknownTopLevelFieldsAndNamesThem() {
    assertRejected(
        edited(t -> t.put("someFutureField", 1)),
        "report has an unknown top-level field 'someFutureField'");
    assertRejected(
        edited(t -> t.put("<script>", 1)),
        "report has an unknown top-level field (a name that is not shown)");
  }

  @Test
  void refusesADuplicateKey() {
    String once = Reports.report().action(Action.FAILED).json();
    String twice = once.replaceFirst("\\{", "{\"action\":\"updated\",");
    assertRejected(twice, "report has the key 'action' more than once");
    String nested = once.replace("\"lottery\":{", "\"lottery\":{\"weight\":1.0,");
    assertRejected(nested, "report has the key 'weight' more than once");
  }

  @Test
  void schema2CarriesTheSequenceAndSendingTimeAndSchema1CannotCarryThem() {
    ReportValidator.Posted posted =
        validator.read(
            bytes(
                edited(
                    t -> {
                      t.put("schema", 2);
                      t.put("sequence", 1_764_000_000_123L);
                      t.put("sentAt", "2026-11-20T12:00:01Z");
                    })));
    assertThat(posted.schema()).isEqualTo(2);
    assertThat(posted.sequence()).isEqualTo(1_764_000_000_123L);
    assertThat(posted.sentAt()).isEqualTo(Instant.parse("2026-11-20T12:00:01Z"));
    ReportValidator.Posted old = validator.read(bytes(edited(t -> t.put("schema", 1))));
    assertThat(old.schema()).isEqualTo(1);
    assertThat(old.sequence()).isNull();
    assertThat(old.sentAt()).isNull();

    assertRejected(
        edited(t -> t.put("sequence", 5)),
        "report has an unknown top-level field 'sequence' (it needs \"schema\": 2)");
    assertRejected(
        edited(t -> t.put("schema", 2)), "field 'sentAt' is required in report schema 2");
    assertRejected(
        edited(
            t -> {
              t.put("schema", 2);
              t.put("sentAt", "2026-11-20T12:00:01Z");
              t.put("sequence", 0);
            }),
        "field 'sequence' must be a whole number >= 1");
    assertRejected(
        edited(
            t -> {
              t.put("schema", 2);
              t.put("sentAt", "2026-11-20T12:00:01Z");
              t.put("sequence", "7");
            }),
        "field 'sequence' must be a whole number >= 1");
    assertRejected(
        edited(
            t -> {
              t.put("schema", 2);
              t.put("sentAt", "yesterday");
            }),
        "field 'sentAt' must be an ISO-8601 instant");
    assertRejected(
        edited(
            t -> {
              t.put("schema", 2);
              t.put("sentAt", "2027-01-01T00:00:00Z");
            }),
        "field 'sentAt' is in the future");
  }

  @Test
  void refusesAReportSchemaNewerThanItReads() {
    assertRejected(
        edited(t -> t.put("schema", 3)),
        "report schema 3 is newer than this fleet-web reads (2): upgrade fleet-web");
    assertRejected(edited(t -> t.put("schema", "1")), "field 'schema' must be a whole number >= 1");
  }

  @Test
  void credentialsInUrlsAreTakenOutOfTheText() {
    var report =
        validator.validate(
            bytes(
                edited(
                    t -> {
                      t.put("message", "cannot fetch https://deploy:s3cret@git.example/r.git");
                      t.putArray("warnings").add("mirror http://TOKEN@m.example/r");
                    })));
    assertThat(report.message()).isEqualTo("cannot fetch https://***@git.example/r.git");
    assertThat(report.warnings()).containsExactly("mirror http://***@m.example/r");
  }

  @Test
  void acceptsAMinimalReportWithoutTimesOrTarget() {
    var report =
        validator.validate(
            bytes(
                "{\"node\":\""
                    + Reports.nodeId(1)
                    + "\",\"channel\":\"stable\",\"preprod\":false,"
                    + "\"action\":\"offline\",\"message\":\"remote unreachable\"}"));
    assertThat(report.finishedAt()).isNull();
    assertThat(report.target()).isNull();
  }

  @Test
  void rejectsWhatIsNotAJsonObject() {
    assertRejected("not json", "report is not valid JSON");
    assertRejected("[1,2]", "report must be a JSON object");
    assertRejected("", "report must be a JSON object");
  }

  @Test
  void rejectsMissingRequiredFields() {
    for (String field : new String[] {"node", "channel", "preprod", "action", "message"}) {
      assertRejected(edited(t -> t.remove(field)), "field '" + field + "' is required");
    }
    assertRejected(edited(t -> t.putNull("node")), "field 'node' is required");
  }

  @Test
  void rejectsWrongTypes() {
    assertRejected(edited(t -> t.put("node", 12)), "field 'node' must be string, not number");
    assertRejected(
        edited(t -> t.put("preprod", "yes")), "field 'preprod' must be boolean, not string");
    assertRejected(
        edited(t -> t.put("groups", "farm")), "field 'groups' must be array, not string");
    assertRejected(
        edited(t -> t.with("lottery").put("ticket", "0.5")),
        "field 'lottery.ticket' must be number, not string");
    assertRejected(
        edited(t -> t.putArray("groups").add(1)), "field 'groups' must hold only strings");
    assertRejected(
        edited(t -> t.put("finishedAt", "yesterday")), "field 'finishedAt' has the wrong form");
    assertRejected(
        edited(t -> t.putObject("reason").put("code", "x")),
        "field 'reason' needs both 'code' and 'text'");
  }

  @Test
  void rejectsInsaneValues() {
    assertRejected(edited(t -> t.put("node", "node-1")), "field 'node' must be a UUID");
    assertRejected(
        edited(t -> t.put("channel", "beta")), "field 'channel' must be 'stable' or 'preprod'");
    assertRejected(
        edited(t -> t.put("action", "exploded")),
        "field 'action' must be one of updated, unchanged, held, offline, rolled-back, failed");
    assertRejected(
        edited(t -> t.put("currentCommit", "abc123")),
        "field 'currentCommit' must be 40 hex digits or null");
    assertRejected(
        edited(t -> t.with("target").put("commit", "z".repeat(40))),
        "field 'target.commit' must be 40 hex digits or null");
    assertRejected(
        edited(t -> t.with("lottery").put("ticket", 1.0)),
        "field 'lottery.ticket' must be in [0,1)");
    assertRejected(
        edited(t -> t.with("lottery").put("ticket", -0.1)),
        "field 'lottery.ticket' must be in [0,1)");
    assertRejected(
        edited(t -> t.with("lottery").put("weight", 2)), "field 'lottery.weight' must be in [0,1]");
    assertRejected(
        edited(t -> t.putObject("reason").put("code", "has space").put("text", "t")),
        "field 'reason.code' must be 1 to 64 letters, digits or ._:/-");
  }

  @Test
  void rejectsTimesInTheFutureOrBeforeSluiceExisted() {
    assertRejected(
        edited(t -> t.put("finishedAt", NOW.plusSeconds(3600).toString())),
        "field 'finishedAt' is in the future");
    assertRejected(
        edited(t -> t.put("startedAt", "1970-01-01T00:00:00Z")),
        "field 'startedAt' is before 2000-01-01T00:00:00Z");
    assertRejected(
        edited(
            t -> {
              t.put("startedAt", NOW.toString());
              t.put("finishedAt", NOW.minusSeconds(60).toString());
            }),
        "field 'finishedAt' is before 'startedAt'");
    // A node clock a few minutes ahead is tolerated.
    validator.validate(bytes(edited(t -> t.put("finishedAt", NOW.plusSeconds(120).toString()))));
  }

  @Test
  void rejectsOversizedStringsAndLists() {
    assertRejected(
        edited(t -> t.put("message", "x".repeat(ReportValidator.MAX_TEXT + 1))),
        "field 'message' is longer than 8000 characters");
    assertRejected(
        edited(
            t -> {
              var groups = t.putArray("groups");
              for (int i = 0; i <= ReportValidator.MAX_GROUPS; i++) {
                groups.add("g" + i);
              }
            }),
        "field 'groups' has more than 32 entries");
    assertRejected(
        edited(t -> t.putArray("groups").add("g".repeat(129))),
        "field 'groups' has an entry that is empty or longer than 128");
    assertRejected(
        edited(t -> t.put("version", "v".repeat(129))),
        "field 'version' is longer than 128 characters");
    assertRejected(
        "{\"message\":\"" + "x".repeat(ReportValidator.MAX_BODY_BYTES) + "\"}",
        "report is larger than 65536 bytes");
  }
}
