package dev.sluice.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.channel.ChannelSpec;
import dev.sluice.core.channel.Track;
import dev.sluice.core.version.TagPattern;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyParserTest {

  static String resource(String name) {
    try (InputStream in = PolicyParserTest.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> errorsOf(String json) {
    PolicyValidationException e =
        catchThrowableOfType(PolicyValidationException.class, () -> PolicyParser.parse(json));
    assertThat(e).as("expected %s to be rejected", json).isNotNull();
    SchemaSamples.assertRefused(json, e.errors());
    return e.errors();
  }

  @Test
  void productExampleParsesIntoEveryField() {
    Policy policy = PolicyParser.parse(resource("product-example.json"));

    assertThat(policy.channel(Channel.STABLE))
        .isEqualTo(new ChannelPolicy("master", TagPattern.parse("v*"), Track.BRANCH, false, null));
    assertThat(policy.spec(Channel.PREPROD)).isEqualTo(ChannelSpec.defaultFor(Channel.PREPROD));
    assertThat(policy.lottery().probability()).isEqualTo(0.07);
    assertThat(policy.lottery().period()).isEqualTo(Period.ofMonths(1));
    assertThat(policy.lottery().groupWeights()).containsExactly(Map.entry("farm-1", 1.0));
    assertThat(policy.promotion()).isEqualTo(new PromotionPolicy(Duration.ofDays(7), 0, 0.05));
    assertThat(policy.frozen()).containsExactly("group-or-node-id");
    assertThat(policy.deadends())
        .containsExactly(new Deadend("v5.1.0", "db migration corrupts state"));
    assertThat(policy.barriers()).containsExactly(new Barrier("v5.0.0", "config format change"));
    assertThat(policy.rollouts())
        .containsExactly(
            new Rollout(
                "v5.2.0", Instant.parse("2026-11-20T00:00:00Z"), Duration.ofHours(48), 0.0));
    assertThat(policy.maintenanceWindows())
        .containsExactly(
            new MaintenanceWindow(
                EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY),
                LocalTime.of(2, 0),
                Duration.ofHours(4),
                ZoneId.of("UTC")));
    assertThat(policy.maxAttempts()).isEqualTo(3);
  }

  @Test
  void theProductExampleAndTheWrittenDefaultsPassTheSchema() {
    SchemaSamples.assertAccepted(resource("product-example.json"));
    SchemaSamples.assertAccepted(PolicyWriter.write(Policy.defaults()));
    SchemaSamples.assertAccepted(
        PolicyWriter.write(PolicyParser.parse(resource("product-example.json"))));
  }

  @Test
  void builtInDefaultsAreTheProductExampleWithoutTheExamples() {
    Policy defaults = Policy.defaults();

    assertThat(defaults.lottery().probability()).isEqualTo(0.07);
    assertThat(defaults.lottery().period()).isEqualTo(Period.ofMonths(1));
    assertThat(defaults.lottery().groupWeights()).isEmpty();
    assertThat(defaults.promotion().soak()).isEqualTo(Duration.ofDays(7));
    assertThat(defaults.maxAttempts()).isEqualTo(3);
    assertThat(defaults.frozen()).isEmpty();
    assertThat(defaults.deadends()).isEmpty();
    assertThat(defaults.barriers()).isEmpty();
    assertThat(defaults.rollouts()).isEmpty();
    assertThat(defaults.maintenanceWindows()).isEmpty();
    for (Channel channel : Channel.values()) {
      assertThat(defaults.spec(channel)).isEqualTo(ChannelSpec.defaultFor(channel));
      assertThat(defaults.channel(channel).paused()).isFalse();
    }
  }

  @Test
  void onlyTheSchemaIsRequiredAndEverythingElseDefaults() {
    assertThat(PolicyParser.parse("{\"schema\": 1}")).isEqualTo(Policy.defaults());
    assertThat(
            PolicyParser.parse(
                "{\"schema\": 1, \"channels\": {\"stable\": {\"paused\": true}},"
                    + " \"lottery\": null}"))
        .isEqualTo(
            Policy.defaults()
                .withChannel(Channel.STABLE, ChannelPolicy.defaultFor(Channel.STABLE).pause(null)));
  }

  @Test
  void writtenPoliciesReadBackEqualAndRewriteToTheSameBytes() {
    for (Policy policy :
        List.of(Policy.defaults(), PolicyParser.parse(resource("product-example.json")))) {
      String written = PolicyWriter.write(policy);
      Policy read = PolicyParser.parse(written);
      assertThat(read).isEqualTo(policy);
      assertThat(PolicyWriter.write(read)).isEqualTo(written);
    }
  }

  @Test
  void writerSpellsOutEveryFieldInSchemaOrderWithReadableDurations() {
    Policy paused =
        PolicyParser.parse(resource("product-example.json"))
            .withChannel(
                Channel.STABLE, ChannelPolicy.defaultFor(Channel.STABLE).pause("incident 42"));

    String written = PolicyWriter.write(paused);

    assertThat(written)
        .startsWith("{\n  \"schema\": 1,\n  \"channels\": {\n    \"stable\": {\n")
        .contains("\"pauseReason\": \"incident 42\"")
        .contains("\"soak\": \"P7D\"")
        .contains("\"duration\": \"PT48H\"")
        .contains("\"days\": [\n        \"SAT\",\n        \"SUN\"\n      ]")
        .contains("  \"maxAttempts\": 3,\n")
        .endsWith("    \"slotExpiry\": \"PT1H\",\n    \"onLockUnavailable\": \"wait\"\n  }\n}\n");
    assertThat(PolicyWriter.write(Policy.defaults()))
        .contains("\"frozen\": [],")
        .contains("\"groupWeights\": {}")
        .doesNotContain("pauseReason");
    List<Integer> positions =
        PolicyParser.TOP_LEVEL_FIELDS.stream().map(f -> written.indexOf("\n  \"" + f)).toList();
    assertThat(positions).doesNotContain(-1).isSorted();
  }

  @Test
  void durationMessageNamesTheFieldAndGivesAnExample() {
    assertThat(
            errorsOf(
                "{\"schema\": 1, \"rollouts\": [{\"ref\": \"v5.2.0\","
                    + " \"start\": \"2026-11-20T00:00:00Z\", \"duration\": \"48h\"}]}"))
        .containsExactly("rollouts[0].duration: \"48h\" is not an ISO-8601 duration, e.g. PT48H");
  }

  @Test
  void everyErrorIsReportedNotJustTheFirst() {
    String json =
        """
        {
          "schema": 1,
          "colour": "blue",
          "channels": {"stable": {"branch": "refs/heads/master", "track": "tip"}, "beta": {}},
          "lottery": {"probability": 1.5, "period": "monthly", "groupWeights": {"farm-1": -0.1}},
          "promotion": {"soak": "7 days", "minHealthyPreprodNodes": -1, "maxFailureRatio": "5%"},
          "frozen": ["", "hpc"],
          "deadends": [{"ref": "v5..1", "reason": ""}, {"reef": "v5.1.0"}],
          "barriers": "v5.0.0",
          "rollouts": [{"ref": "v5.2.0", "start": "yesterday", "duration": "-PT1H",
                        "startFraction": 2}],
          "maintenanceWindows": [{"days": ["SATURDAY"], "start": "2:00", "length": "P8D",
                                  "zone": "Mars/Olympus"}],
          "maxAttempts": 0
        }
        """;

    List<String> errors = errorsOf(json);

    assertThat(errors)
        .containsExactlyInAnyOrder(
            "colour: unknown field; expected one of schema, channels, lottery, promotion, frozen,"
                + " deadends, barriers, rollouts, maintenanceWindows, maxAttempts, updateLimits",
            "channels.beta: unknown field; expected one of stable, preprod",
            "channels.stable.branch: \"refs/heads/master\" is not a branch name such as master"
                + " (without refs/heads/)",
            "channels.stable.track: \"tip\" is not \"branch\" or \"tag\"",
            "lottery.probability: 1.5 is not a number in [0,1]",
            "lottery.period: \"monthly\" is not an ISO-8601 period, e.g. P1M",
            "lottery.groupWeights.farm-1: -0.1 is not a number in [0,1]",
            "promotion.soak: \"7 days\" is not an ISO-8601 duration, e.g. P7D",
            "promotion.minHealthyPreprodNodes: -1 is not a whole number from 0 to 1000000",
            "promotion.maxFailureRatio: \"5%\" is not a number in [0,1]",
            "frozen[0]: \"\" is not a non-empty string",
            "deadends[0].ref: \"v5..1\" is not a tag name (v5.1.0), a full ref (refs/tags/v5.1.0)"
                + " or a commit id",
            "deadends[0].reason: \"\" is not a non-empty string",
            "deadends[1].reef: unknown field; expected one of ref, reason",
            "deadends[1].ref: missing; expected a tag name (v5.1.0), a full ref"
                + " (refs/tags/v5.1.0) or a commit id",
            "deadends[1].reason: missing; expected a non-empty string",
            "barriers: \"v5.0.0\" is not an array of {\"ref\", \"reason\"} objects",
            "rollouts[0].start: \"yesterday\" is not an ISO-8601 instant, e.g."
                + " 2026-11-20T00:00:00Z",
            "rollouts[0].duration: \"-PT1H\" is not a positive ISO-8601 duration of at most"
                + " P3650D, e.g. PT48H",
            "rollouts[0].startFraction: 2 is not a number in [0,1]",
            "maintenanceWindows[0].days[0]: \"SATURDAY\" is not one of MON, TUE, WED, THU, FRI,"
                + " SAT, SUN",
            "maintenanceWindows[0].start: \"2:00\" is not a local time HH:MM, e.g. 02:00",
            "maintenanceWindows[0].length: \"P8D\" is not a positive ISO-8601 duration of at most"
                + " P7D, e.g. PT4H",
            "maintenanceWindows[0].zone: \"Mars/Olympus\" is not an IANA time zone, e.g."
                + " Europe/Berlin or UTC",
            "maxAttempts: 0 is not a whole number from 1 to 1000");
  }

  @Test
  void aFrozenGroupWithWeightOneIsRefused() {
    assertThat(
            errorsOf(
                "{\"schema\": 1, \"lottery\": {\"groupWeights\": {\"farm-1\": 1.0}},"
                    + " \"frozen\": [\"farm-1\"]}"))
        .singleElement()
        .asString()
        .startsWith("frozen[0]: \"farm-1\" also has a weight in lottery.groupWeights");
  }

  @Test
  void weightsMustBeNumbersBetweenZeroAndOne() {
    assertThat(errorsOf("{\"schema\": 1, \"lottery\": {\"groupWeights\": {\"a\": 1.01}}}"))
        .containsExactly("lottery.groupWeights.a: 1.01 is not a number in [0,1]");
    assertThat(errorsOf("{\"schema\": 1, \"lottery\": {\"probability\": \"0.07\"}}"))
        .containsExactly("lottery.probability: \"0.07\" is not a number in [0,1]");
    assertThat(
            PolicyParser.parse(
                    "{\"schema\": 1, \"lottery\": {\"groupWeights\": {\"a\": 0, \"b\": 1}}}")
                .lottery()
                .groupWeights())
        .containsExactly(Map.entry("a", 0.0), Map.entry("b", 1.0));
  }

  @Test
  void onlySchemaOneIsRead() {
    assertThat(errorsOf("{\"schema\": 2, \"future\": true}"))
        .containsExactly("schema: 2 is not a supported schema version; this Sluice reads schema 1");
    assertThat(errorsOf("{\"schema\": \"1\"}"))
        .containsExactly(
            "schema: \"1\" is not a supported schema version; this Sluice reads schema 1");
    assertThat(errorsOf("{\"channels\": {}}")).containsExactly("schema: missing; expected 1");
  }

  @Test
  void brokenJsonIsReportedWithItsPosition() {
    assertThat(errorsOf("{\"schema\": 1,\n  \"frozen\": [\"a\",]\n}"))
        .singleElement()
        .asString()
        .startsWith("(document): not valid JSON: line 2, column ");
    assertThat(errorsOf("{\"schema\": 1, \"schema\": 1}"))
        .singleElement()
        .asString()
        .contains("Duplicate field 'schema'");
    assertThat(errorsOf("{\"schema\": 1} {}"))
        .singleElement()
        .asString()
        .contains("not valid JSON");
    assertThat(errorsOf(""))
        .containsExactly("(document): expected a JSON object such as {\"schema\": 1}, got nothing");
    assertThat(errorsOf("[1]"))
        .containsExactly(
            "(document): expected a JSON object such as {\"schema\": 1}, got an array");
  }

  @Test
  void windowsNeedDaysStartLengthAndZone() {
    assertThat(errorsOf("{\"schema\": 1, \"maintenanceWindows\": [{}]}"))
        .containsExactly(
            "maintenanceWindows[0].days: missing; expected a non-empty array of days such as"
                + " [\"SAT\", \"SUN\"]",
            "maintenanceWindows[0].start: missing; expected a local time HH:MM, e.g. 02:00",
            "maintenanceWindows[0].length: missing; expected a positive ISO-8601 duration of"
                + " at most P7D, e.g. PT4H",
            "maintenanceWindows[0].zone: missing; expected an IANA time zone, e.g. Europe/Berlin"
                + " or UTC");
    assertThat(
            errorsOf(
                "{\"schema\": 1, \"maintenanceWindows\": [{\"days\": [\"MON\", \"MON\"],"
                    + " \"start\": \"24:00\", \"length\": \"PT0S\", \"zone\": \"EST\"}]}"))
        .containsExactly(
            "maintenanceWindows[0].days[1]: \"MON\" is listed twice",
            "maintenanceWindows[0].start: \"24:00\" is not a local time HH:MM, e.g. 02:00",
            "maintenanceWindows[0].length: \"PT0S\" is not a positive ISO-8601 duration of at"
                + " most P7D, e.g. PT4H",
            "maintenanceWindows[0].zone: \"EST\" is not an IANA time zone, e.g. Europe/Berlin or"
                + " UTC");
    MaintenanceWindow berlin =
        PolicyParser.parse(
                "{\"schema\": 1, \"maintenanceWindows\": [{\"days\": [\"SUN\", \"MON\"],"
                    + " \"start\": \"23:30\", \"length\": \"P1D\", \"zone\": \"Europe/Berlin\"}]}")
            .maintenanceWindows()
            .get(0);
    assertThat(berlin.days()).containsExactly(DayOfWeek.MONDAY, DayOfWeek.SUNDAY);
    assertThat(berlin.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
  }

  @Test
  void duplicateRefsAndSharedBranchesAreContradictions() {
    assertThat(
            errorsOf(
                "{\"schema\": 1, \"deadends\": [{\"ref\": \"v1.0.0\", \"reason\": \"a\"},"
                    + " {\"ref\": \"v1.0.0\", \"reason\": \"b\"}], \"frozen\": [\"x\", \"x\"],"
                    + " \"channels\": {\"preprod\": {\"branch\": \"master\", \"tagPattern\":"
                    + " \"v*\"}}}"))
        .containsExactlyInAnyOrder(
            "deadends[1].ref: \"v1.0.0\" is listed twice in deadends",
            "frozen[1]: \"x\" is listed twice",
            "channels.preprod.branch: \"master\" is also the stable branch; the channels need"
                + " two branches",
            "channels.preprod.tagPattern: \"v*\" is also the stable tag pattern; the channels"
                + " need two patterns");
  }

  @Test
  void aDeadendMayAlsoBeInARolloutOrABarrier() {
    Policy policy =
        PolicyParser.parse(
            "{\"schema\": 1, \"deadends\": [{\"ref\": \"v5.2.0\", \"reason\": \"bad\"}],"
                + " \"barriers\": [{\"ref\": \"v5.2.0\", \"reason\": \"format\"}],"
                + " \"rollouts\": [{\"ref\": \"v5.2.0\", \"start\": \"2026-11-20T01:00:00+01:00\","
                + " \"duration\": \"P2D\"}]}");

    assertThat(policy.rollouts().get(0).start()).isEqualTo(Instant.parse("2026-11-20T00:00:00Z"));
    assertThat(policy.rollouts().get(0).startFraction()).isZero();
  }

  @Test
  void refsMayBeTagsFullRefsOrCommitIds() {
    for (String ref :
        List.of(
            "v5.1.0",
            "v5.1.0_pre",
            "refs/tags/v5.1.0",
            "1a2b3c4",
            "0123456789abcdef0123456789abcdef01234567")) {
      assertThat(PolicyRefs.isValid(ref)).as(ref).isTrue();
    }
    for (String ref : List.of("", " ", "v5..1", "refs/tags/", "HEAD~1", "a b", "master^")) {
      assertThat(PolicyRefs.isValid(ref)).as(ref).isFalse();
    }
  }

  @Test
  void theExceptionNamesItsSourceAndCountsErrors() {
    assertThatThrownBy(
            () -> PolicyParser.parse("{\"schema\": 1, \"a\": 1, \"b\": 2}", "channels.json at x"))
        .isInstanceOf(PolicyValidationException.class)
        .hasMessageStartingWith("channels.json at x is invalid (2 errors): a: unknown field");
  }

  @Test
  void recordsRefuseWhatTheParserRefuses() {
    assertThat(
            new LotteryPolicy(0.07, Period.ofMonths(1), Map.of("farm", 1.0))
                .weightFor(List.of("farm", "other"))
                .value())
        .isEqualTo(1.0);
    assertThatThrownBy(() -> new LotteryPolicy(1.2, Period.ofMonths(1), Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    Policy defaults = Policy.defaults();
    assertThatThrownBy(
            () ->
                new Policy(
                    1,
                    defaults.channels(),
                    new LotteryPolicy(0.07, Period.ofMonths(1), Map.of("farm", 1.0)),
                    defaults.promotion(),
                    List.of("farm"),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("both frozen and weighted");
  }
}
