package dev.sluice.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Every range of {@link PolicyLimits}, just inside and just outside, through the parser: a value
 * just outside is refused with its field path.
 */
class PolicyRangesTest {

  /** A document with one top-level field set to this JSON. */
  private static String with(String field, String json) {
    return "{\"schema\": 1, \"" + field + "\": " + json + "}";
  }

  private static void accepted(String document) {
    PolicyParser.parse(document);
    SchemaSamples.assertAccepted(document);
  }

  private static void refused(String document, String path) {
    PolicyValidationException e =
        catchThrowableOfType(PolicyValidationException.class, () -> PolicyParser.parse(document));
    assertThat(e).as("expected a refusal of %s", clip(document)).isNotNull();
    assertThat(e.errors())
        .as(clip(document))
        .anySatisfy(m -> assertThat(m).startsWith(path + ": "));
    SchemaSamples.assertRefused(document, e.errors());
  }

  private static String clip(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  private static String lottery(String json) {
    return with("lottery", json);
  }

  private static String promotion(String json) {
    return with("promotion", json);
  }

  private static String rollout(String start, String duration, String fraction) {
    return with(
        "rollouts",
        "[{\"ref\": \"v1.0.0\", \"start\": \""
            + start
            + "\", \"duration\": \""
            + duration
            + "\", \"startFraction\": "
            + fraction
            + "}]");
  }

  private static String window(String length, String zone) {
    return with(
        "maintenanceWindows",
        "[{\"days\": [\"SAT\"], \"start\": \"02:00\", \"length\": \""
            + length
            + "\", \"zone\": \""
            + zone
            + "\"}]");
  }

  private static String array(int count, IntFunction<String> item) {
    List<String> items = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      items.add(item.apply(i));
    }
    return "[" + String.join(", ", items) + "]";
  }

  private static String text(int length) {
    return "x".repeat(length);
  }

  @Test
  void lotteryPeriodIsOneDayToOneYear() {
    accepted(lottery("{\"period\": \"P1D\"}"));
    accepted(lottery("{\"period\": \"P1Y\"}"));
    accepted(lottery("{\"period\": \"P12M\"}"));
    accepted(lottery("{\"period\": \"P366D\"}"));
    accepted(lottery("{\"period\": \"P11M5D\"}"));
    refused(lottery("{\"period\": \"P0D\"}"), "lottery.period");
    refused(lottery("{\"period\": \"P1Y1D\"}"), "lottery.period");
    refused(lottery("{\"period\": \"P13M\"}"), "lottery.period");
    refused(lottery("{\"period\": \"P367D\"}"), "lottery.period");
    refused(lottery("{\"period\": \"P11M30D\"}"), "lottery.period");
    refused(lottery("{\"period\": \"P999999999Y\"}"), "lottery.period");
    assertThat(
            catchThrowableOfType(
                    PolicyValidationException.class,
                    () -> PolicyParser.parse(lottery("{\"period\": \"P999999999Y\"}")))
                .errors())
        .containsExactly(
            "lottery.period: \"P999999999Y\" is not an ISO-8601 period from P1D to P1Y (a month"
                + " counts 31 days next to days), e.g. P1M");
  }

  @Test
  void probabilitiesAndWeightsAreZeroToOne() {
    accepted(lottery("{\"probability\": 0, \"groupWeights\": {\"a\": 0, \"b\": 1}}"));
    accepted(lottery("{\"probability\": 1}"));
    refused(lottery("{\"probability\": -0.000001}"), "lottery.probability");
    refused(lottery("{\"probability\": 1.000001}"), "lottery.probability");
    refused(lottery("{\"groupWeights\": {\"a\": 1.000001}}"), "lottery.groupWeights.a");
    accepted(promotion("{\"maxFailureRatio\": 0}"));
    accepted(promotion("{\"maxFailureRatio\": 1}"));
    refused(promotion("{\"maxFailureRatio\": 1.000001}"), "promotion.maxFailureRatio");
    accepted(rollout("2026-11-20T00:00:00Z", "PT1H", "1"));
    refused(rollout("2026-11-20T00:00:00Z", "PT1H", "1.000001"), "rollouts[0].startFraction");
    refused(rollout("2026-11-20T00:00:00Z", "PT1H", "-0.000001"), "rollouts[0].startFraction");
  }

  @Test
  void soakIsZeroToAYear() {
    accepted(promotion("{\"soak\": \"PT0S\"}"));
    accepted(promotion("{\"soak\": \"P365D\"}"));
    refused(promotion("{\"soak\": \"-PT0.000000001S\"}"), "promotion.soak");
    refused(promotion("{\"soak\": \"P365DT0.000000001S\"}"), "promotion.soak");
    refused(promotion("{\"soak\": \"P999999999999D\"}"), "promotion.soak");
    refused(promotion("{\"soak\": \"PT9223372036854775807S\"}"), "promotion.soak");
  }

  @Test
  void updateLimitsHaveRangesAndNeedALimit() {
    accepted(
        with(
            "updateLimits",
            "{\"channels\": {\"stable\": {\"maxConcurrentUpdates\": 1}},"
                + " \"groups\": {\"farm-1\": {\"maxUpdatesPerHour\": 1000000}},"
                + " \"slotExpiry\": \"PT1M\", \"onLockUnavailable\": \"proceed\"}"));
    accepted(with("updateLimits", "{\"slotExpiry\": \"P1D\"}"));
    refused(with("updateLimits", "{\"slotExpiry\": \"PT59S\"}"), "updateLimits.slotExpiry");
    refused(
        with("updateLimits", "{\"slotExpiry\": \"PT24H0.000000001S\"}"), "updateLimits.slotExpiry");
    refused(
        with("updateLimits", "{\"onLockUnavailable\": \"retry\"}"),
        "updateLimits.onLockUnavailable");
    refused(
        with("updateLimits", "{\"channels\": {\"stable\": {\"maxConcurrentUpdates\": 0}}}"),
        "updateLimits.channels.stable.maxConcurrentUpdates");
    refused(
        with("updateLimits", "{\"groups\": {\"g\": {\"maxUpdatesPerHour\": 1000001}}}"),
        "updateLimits.groups.g.maxUpdatesPerHour");
    refused(with("updateLimits", "{\"groups\": {\"g\": {}}}"), "updateLimits.groups.g");
    refused(
        with("updateLimits", "{\"channels\": {\"beta\": {\"maxConcurrentUpdates\": 1}}}"),
        "updateLimits.channels.beta");
    refused(
        with(
            "updateLimits", "{\"groups\": {\"" + text(201) + "\": {\"maxConcurrentUpdates\": 1}}}"),
        "updateLimits.groups." + text(57) + "...");
    StringBuilder many = new StringBuilder("{\"groups\": {");
    for (int i = 0; i <= PolicyLimits.MAX_LIMITED_GROUPS; i++) {
      many.append(i == 0 ? "" : ", ")
          .append("\"g")
          .append(i)
          .append("\": {\"maxConcurrentUpdates\": 1}");
    }
    refused(with("updateLimits", many.append("}}").toString()), "updateLimits.groups");
    assertThatThrownBy(() -> new UpdateLimit(0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs maxConcurrentUpdates or maxUpdatesPerHour");
  }

  @Test
  void countsHaveAFloorAndACeiling() {
    accepted(with("maxAttempts", "1"));
    accepted(with("maxAttempts", "1000"));
    refused(with("maxAttempts", "0"), "maxAttempts");
    refused(with("maxAttempts", "1001"), "maxAttempts");
    refused(with("maxAttempts", "4294967297"), "maxAttempts");
    accepted(promotion("{\"minHealthyPreprodNodes\": 0}"));
    accepted(promotion("{\"minHealthyPreprodNodes\": 1000000}"));
    refused(promotion("{\"minHealthyPreprodNodes\": -1}"), "promotion.minHealthyPreprodNodes");
    refused(promotion("{\"minHealthyPreprodNodes\": 1000001}"), "promotion.minHealthyPreprodNodes");
  }

  @Test
  void rolloutsLastUpToTenYearsAndStartWithinFourDigitYears() {
    accepted(rollout("1970-01-01T00:00:00Z", "PT0.000000001S", "0"));
    accepted(rollout("9999-12-31T23:59:59Z", "P3650D", "0"));
    refused(rollout("2026-11-20T00:00:00Z", "PT0S", "0"), "rollouts[0].duration");
    refused(rollout("2026-11-20T00:00:00Z", "P3650DT0.000000001S", "0"), "rollouts[0].duration");
    refused(rollout("1969-12-31T23:59:59Z", "PT1H", "0"), "rollouts[0].start");
    refused(rollout("+10000-01-01T00:00:00Z", "PT1H", "0"), "rollouts[0].start");
  }

  @Test
  void windowsLastUpToAWeek() {
    accepted(window("PT0.000000001S", "UTC"));
    accepted(window("P7D", "Europe/Berlin"));
    refused(window("PT0S", "UTC"), "maintenanceWindows[0].length");
    refused(window("P7DT0.000000001S", "UTC"), "maintenanceWindows[0].length");
    refused(window("PT4H", "Europe/" + text(200)), "maintenanceWindows[0].zone");
  }

  @Test
  void listsAreBounded() {
    accepted(with("frozen", array(10_000, i -> "\"n" + i + "\"")));
    refused(with("frozen", array(10_001, i -> "\"n" + i + "\"")), "frozen");
    String weights1000 = array(1000, i -> "\"g" + i + "\": 0.5");
    String weights1001 = array(1001, i -> "\"g" + i + "\": 0.5");
    accepted(
        lottery(
            "{\"groupWeights\": {" + weights1000.substring(1, weights1000.length() - 1) + "}}"));
    refused(
        lottery("{\"groupWeights\": {" + weights1001.substring(1, weights1001.length() - 1) + "}}"),
        "lottery.groupWeights");
    IntFunction<String> ref = i -> "{\"ref\": \"v1.0." + i + "\", \"reason\": \"r\"}";
    accepted(with("deadends", array(1000, ref)));
    refused(with("deadends", array(1001, ref)), "deadends");
    accepted(with("barriers", array(20, ref)));
    refused(with("barriers", array(21, ref)), "barriers");
    IntFunction<String> rollout =
        i ->
            "{\"ref\": \"v1.0."
                + i
                + "\", \"start\": \"2026-11-20T00:00:00Z\", \"duration\": \"PT1H\"}";
    accepted(with("rollouts", array(100, rollout)));
    refused(with("rollouts", array(101, rollout)), "rollouts");
    IntFunction<String> window =
        i -> "{\"days\": [\"SAT\"], \"start\": \"02:00\", \"length\": \"PT1H\", \"zone\": \"UTC\"}";
    accepted(with("maintenanceWindows", array(50, window)));
    refused(with("maintenanceWindows", array(51, window)), "maintenanceWindows");
  }

  @Test
  void textsAreBounded() {
    accepted(with("frozen", "[\"" + text(200) + "\"]"));
    refused(with("frozen", "[\"" + text(201) + "\"]"), "frozen[0]");
    accepted(lottery("{\"groupWeights\": {\"" + text(200) + "\": 1}}"));
    refused(
        lottery("{\"groupWeights\": {\"" + text(201) + "\": 1}}"),
        "lottery.groupWeights." + text(57) + "...");
    accepted(with("deadends", "[{\"ref\": \"v1\", \"reason\": \"" + text(1000) + "\"}]"));
    refused(
        with("deadends", "[{\"ref\": \"v1\", \"reason\": \"" + text(1001) + "\"}]"),
        "deadends[0].reason");
    accepted(with("barriers", "[{\"ref\": \"" + text(255) + "\", \"reason\": \"r\"}]"));
    refused(
        with("barriers", "[{\"ref\": \"" + text(256) + "\", \"reason\": \"r\"}]"),
        "barriers[0].ref");
    accepted(
        with(
            "channels",
            "{\"stable\": {\"paused\": true, \"pauseReason\": \"" + text(1000) + "\"}}"));
    refused(
        with(
            "channels",
            "{\"stable\": {\"paused\": true, \"pauseReason\": \"" + text(1001) + "\"}}"),
        "channels.stable.pauseReason");
    accepted(with("channels", "{\"stable\": {\"branch\": \"" + text(255) + "\"}}"));
    refused(
        with("channels", "{\"stable\": {\"branch\": \"" + text(256) + "\"}}"),
        "channels.stable.branch");
    accepted(with("channels", "{\"stable\": {\"tagPattern\": \"" + text(99) + "*\"}}"));
    refused(
        with("channels", "{\"stable\": {\"tagPattern\": \"" + text(100) + "*\"}}"),
        "channels.stable.tagPattern");
  }

  @Test
  void recordsRefuseWhatIsOutOfRangeToo() {
    assertThatThrownBy(() -> new LotteryPolicy(0.07, Period.ofMonths(13), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lottery.period");
    assertThatThrownBy(() -> new PromotionPolicy(Duration.ofDays(366), 0, 0.05))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("promotion.soak");
    assertThatThrownBy(
            () ->
                new Policy(
                    1,
                    Policy.defaults().channels(),
                    LotteryPolicy.defaults(),
                    PromotionPolicy.defaults(),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    1001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAttempts");
    assertThat(Policy.defaults().withMaxAttempts(5000).maxAttempts()).isEqualTo(1000);
    assertThat(Policy.defaults().withMaxAttempts(0).maxAttempts()).isEqualTo(1);
    assertThatThrownBy(() -> new Deadend("v1.0.0", text(1001)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Policy.defaults().withMaxAttempts(1000).maxAttempts()).isEqualTo(1000);
  }
}
