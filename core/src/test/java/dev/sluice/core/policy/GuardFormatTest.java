package dev.sluice.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.channel.Channel;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The {@code guard} and {@code halt} of a channel: ranges, defaults, round trip, resume. */
class GuardFormatTest {

  private static String preprod(String json) {
    return "{\"schema\": 1, \"channels\": {\"preprod\": " + json + "}}";
  }

  private static void accepted(String document) {
    PolicyParser.parse(document);
    SchemaSamples.assertAccepted(document);
  }

  private static void refused(String document, String path) {
    PolicyValidationException e =
        catchThrowableOfType(PolicyValidationException.class, () -> PolicyParser.parse(document));
    assertThat(e).as("expected a refusal of %s", document).isNotNull();
    assertThat(e.errors()).anySatisfy(m -> assertThat(m).startsWith(path + ": "));
    SchemaSamples.assertRefused(document, e.errors());
  }

  @Test
  void aChannelWithoutAGuardHasTheDefaultOne() {
    Guard guard = Policy.defaults().channel(Channel.PREPROD).guard();

    assertThat(guard.maxFailureRatio()).isEqualTo(0.05);
    assertThat(guard.minSample()).isEqualTo(20);
    assertThat(guard.window()).isEqualTo(Duration.ofHours(2));
    assertThat(guard.action()).isEqualTo(GuardAction.PAUSE);
    assertThat(guard.countFrom()).isNull();
    assertThat(PolicyWriter.write(Policy.defaults())).doesNotContain("guard");
  }

  @Test
  void everyGuardValueHasARange() {
    accepted(
        preprod("{\"guard\": {\"maxFailureRatio\": 0, \"minSample\": 1, \"window\": \"PT1M\"}}"));
    accepted(
        preprod(
            "{\"guard\": {\"maxFailureRatio\": 1, \"minSample\": 1000000, \"window\": \"P30D\","
                + " \"action\": \"dead-end\", \"countFrom\": \"2026-11-20T00:00:00Z\"}}"));
    accepted(preprod("{\"guard\": {\"action\": \"off\"}}"));
    refused(
        preprod("{\"guard\": {\"maxFailureRatio\": 1.01}}"),
        "channels.preprod.guard.maxFailureRatio");
    refused(preprod("{\"guard\": {\"minSample\": 0}}"), "channels.preprod.guard.minSample");
    refused(preprod("{\"guard\": {\"minSample\": 1000001}}"), "channels.preprod.guard.minSample");
    refused(preprod("{\"guard\": {\"window\": \"PT59S\"}}"), "channels.preprod.guard.window");
    refused(preprod("{\"guard\": {\"window\": \"P30DT1S\"}}"), "channels.preprod.guard.window");
    refused(preprod("{\"guard\": {\"window\": \"2h\"}}"), "channels.preprod.guard.window");
    refused(preprod("{\"guard\": {\"action\": \"stop\"}}"), "channels.preprod.guard.action");
    refused(
        preprod("{\"guard\": {\"countFrom\": \"yesterday\"}}"), "channels.preprod.guard.countFrom");
    refused(preprod("{\"guard\": {\"ratio\": 0.1}}"), "channels.preprod.guard.ratio");
  }

  @Test
  void aHaltNamesWhenWhatAndWhy() {
    String commit = "9f8e7d6c".repeat(5);
    accepted(
        preprod(
            "{\"paused\": true, \"halt\": {\"at\": \"2026-11-20T10:00:00Z\", \"action\": \"pause\","
                + " \"commit\": \""
                + commit
                + "\", \"reason\": \"guard: 12 of 40 nodes failed\"}}"));
    refused(
        preprod(
            "{\"halt\": {\"at\": \"2026-11-20T10:00:00Z\", \"action\": \"off\", \"commit\": \""
                + commit
                + "\", \"reason\": \"r\"}}"),
        "channels.preprod.halt.action");
    refused(
        preprod(
            "{\"halt\": {\"at\": \"2026-11-20T10:00:00Z\", \"action\": \"pause\", \"commit\": \""
                + commit
                + "\"}}"),
        "channels.preprod.halt.reason");
  }

  @Test
  void aGuardAndAHaltSurviveTheWriter() {
    String commit = "9f8e7d6c".repeat(5);
    Policy policy =
        PolicyParser.parse(
            preprod(
                "{\"paused\": true, \"pauseReason\": \"guard\", \"guard\": {\"maxFailureRatio\":"
                    + " 0.1, \"minSample\": 5, \"window\": \"PT30M\", \"action\": \"dead-end\"},"
                    + " \"halt\": {\"at\": \"2026-11-20T10:00:00Z\", \"action\": \"dead-end\","
                    + " \"commit\": \""
                    + commit
                    + "\", \"reason\": \"guard: 3 of 5 nodes failed\"}}"));

    assertThat(PolicyParser.parse(PolicyWriter.write(policy))).isEqualTo(policy);
    assertThat(policy.channel(Channel.PREPROD).halt().commit()).isEqualTo(commit);
  }

  @Test
  void resumeClearsTheHaltAndStartsTheCountAfresh() {
    Instant now = Instant.parse("2026-11-21T08:00:00Z");
    ChannelPolicy halted =
        Policy.defaults()
            .channel(Channel.PREPROD)
            .halted(
                new Halt(
                    Instant.parse("2026-11-20T10:00:00Z"),
                    GuardAction.PAUSE,
                    "9f8e7d6c".repeat(5),
                    "guard: 20 of 20 nodes failed"));
    assertThat(halted.paused()).isTrue();
    assertThat(halted.pauseReason()).isEqualTo("guard: 20 of 20 nodes failed");

    ChannelPolicy resumed = halted.resumeAt(now);

    assertThat(resumed.paused()).isFalse();
    assertThat(resumed.halt()).isNull();
    assertThat(resumed.guard().countFrom()).isEqualTo(now);
    assertThat(resumed.guard().evidenceFrom(now.plus(Duration.ofMinutes(5)))).isEqualTo(now);
    assertThat(resumed.guard().evidenceFrom(now.plus(Duration.ofHours(3))))
        .isEqualTo(now.plus(Duration.ofHours(1)));
  }
}
