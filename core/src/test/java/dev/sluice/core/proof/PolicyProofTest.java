package dev.sluice.core.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyParser;
import dev.sluice.core.policy.PolicyValidationException;
import dev.sluice.core.policy.PolicyWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyProofTest {

  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  private static String example() {
    try (InputStream in = Policy.class.getResourceAsStream("product-example.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Every value at the end of its range, and every list as long as it may be. */
  static String atEveryLimit() {
    List<String> deadends = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      deadends.add("{\"ref\": \"v9.0." + i + "\", \"reason\": \"bad\"}");
    }
    List<String> barriers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      barriers.add("{\"ref\": \"v8.0." + i + "\", \"reason\": \"format\"}");
    }
    List<String> rollouts = new ArrayList<>();
    rollouts.add(
        "{\"ref\": \"v7.0.0\", \"start\": \"9999-12-31T23:59:59Z\", \"duration\": \"P3650D\","
            + " \"startFraction\": 0.5}");
    rollouts.add(
        "{\"ref\": \"v7.0.1\", \"start\": \"1970-01-01T00:00:00Z\", \"duration\":"
            + " \"PT0.000000001S\", \"startFraction\": 1}");
    for (int i = 2; i < 100; i++) {
      rollouts.add(
          "{\"ref\": \"v7.0."
              + i
              + "\", \"start\": \"2026-11-29T00:00:00Z\", \"duration\": \"P1D\"}");
    }
    List<String> limitedGroups = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      limitedGroups.add("\"g" + i + "\": {\"maxConcurrentUpdates\": 1, \"maxUpdatesPerHour\": 1}");
    }
    return """
        {
          "schema": 1,
          "lottery": {"probability": 1, "period": "P1Y", "groupWeights": {"farm": 0}},
          "promotion": {"soak": "P365D", "minHealthyPreprodNodes": 1000000, "maxFailureRatio": 0},
          "frozen": ["hpc"],
          "deadends": [%s],
          "barriers": [%s],
          "rollouts": [%s],
          "maintenanceWindows": [
            {"days": ["SUN"], "start": "02:30", "length": "P7D", "zone": "Europe/Berlin"},
            {"days": ["MON"], "start": "00:00", "length": "PT0.000000001S", "zone": "Pacific/Apia"}
          ],
          "maxAttempts": 1000,
          "updateLimits": {
            "channels": {"stable": {"maxConcurrentUpdates": 1000000, "maxUpdatesPerHour": 1},
                         "preprod": {"maxUpdatesPerHour": 1000000}},
            "groups": {%s},
            "slotExpiry": "P1D",
            "onLockUnavailable": "proceed"
          }
        }
        """
        .formatted(
            String.join(",", deadends),
            String.join(",", barriers),
            String.join(",", rollouts),
            String.join(",", limitedGroups));
  }

  @Test
  void theDefaultsAndTheProductExampleDecide() {
    assertThat(PolicyProof.problems(Policy.defaults(), NOW)).isEmpty();
    assertThat(PolicyProof.problems(PolicyParser.parse(example()), NOW)).isEmpty();
  }

  @Test
  void aPolicyAtEveryLimitStillDecidesEvenOnALyingClock() {
    Policy policy = PolicyParser.parse(atEveryLimit());

    for (Instant now :
        List.of(
            NOW, Instant.parse("1970-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59Z"))) {
      assertThat(PolicyProof.problems(policy, now)).as("at %s", now).isEmpty();
    }
  }

  @Test
  void whatThrowsIsReportedAgainstTheFieldItCameFrom() {
    // Two days before the end of time, the next lottery draw (a month later) cannot be computed.
    Instant endOfTime = Instant.MAX.minus(Duration.ofDays(2));

    List<String> problems = PolicyProof.problems(Policy.defaults(), endOfTime);

    assertThat(problems)
        .first()
        .asString()
        .startsWith("lottery.period: the policy cannot be applied (DateTimeException");
    assertThat(problems).allSatisfy(p -> assertThat(p).doesNotStartWith("channels."));
  }

  @Test
  void requireReadsTheBytesBackAndNamesTheSource() {
    byte[] written =
        PolicyWriter.write(PolicyParser.parse(example())).getBytes(StandardCharsets.UTF_8);
    assertThat(PolicyProof.require(written, NOW, "channels.json to be pushed"))
        .isEqualTo(PolicyParser.parse(example()));

    PolicyValidationException bad =
        catchThrowableOfType(
            PolicyValidationException.class,
            () ->
                PolicyProof.require(
                    "{\"schema\": 1, \"maxAttempts\": 0}".getBytes(StandardCharsets.UTF_8),
                    NOW,
                    "channels.json to be pushed"));
    assertThat(bad.source()).isEqualTo("channels.json to be pushed");
    assertThat(bad.errors()).singleElement().asString().startsWith("maxAttempts: ");

    PolicyValidationException late =
        catchThrowableOfType(
            PolicyValidationException.class,
            () ->
                PolicyProof.require(
                    written, Instant.MAX.minus(Duration.ofDays(2)), "channels.json to be pushed"));
    assertThat(late.errors()).first().asString().startsWith("lottery.period: ");
  }
}
