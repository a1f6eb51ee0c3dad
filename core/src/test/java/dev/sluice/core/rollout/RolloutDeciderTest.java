package dev.sluice.core.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyParser;
import dev.sluice.core.rollout.RolloutDecision.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;

class RolloutDeciderTest {

  /** A Saturday. */
  private static final Instant NOW = Instant.parse("2026-11-21T03:00:00Z");

  private final FakeHistory git = new FakeHistory();
  private final ObjectId v4 = git.commit("v4.0.0");
  private final ObjectId v50 = git.commit("v5.0.0", v4);
  private final ObjectId v51 = git.commit("v5.1.0", v50);
  private final ObjectId v52 = git.commit("v5.2.0", v51);
  private final ObjectId v53 = git.commit("v5.3.0", v52);
  private final ObjectId side = git.commit("hotfix", v4);

  {
    git.tag("v4.0.0", v4).tag("v5.0.0", v50).tag("v5.1.0", v51).tag("v5.2.0", v52);
    git.tag("v5.3.0", v53);
  }

  private static Policy policy(String fields) {
    return PolicyParser.parse("{\"schema\": 1" + (fields.isEmpty() ? "" : ", " + fields) + "}");
  }

  private static ChannelHead stableAt(ObjectId commit, String version) {
    return new ChannelHead(Channel.STABLE, "refs/heads/master", commit, version);
  }

  private static NodeFacts node(ObjectId current, double ticket, String... groups) {
    return new NodeFacts("node-1", Set.of(groups), ticket, current, Map.of());
  }

  private RolloutDecision decide(String policy, ObjectId current, double ticket, Instant now) {
    return RolloutDecider.decide(
        policy(policy), stableAt(v52, "v5.2.0"), node(current, ticket), git, now);
  }

  private RolloutDecision decide(String policy, ObjectId current) {
    return decide(policy, current, 0.5, NOW);
  }

  private static void assertMove(RolloutDecision decision, ObjectId to, String noteCode) {
    assertThat(decision.verdict()).as(decision.describe()).isEqualTo(Verdict.MOVE);
    assertThat(decision.commit()).isEqualTo(to);
    if (noteCode == null) {
      assertThat(decision.reason()).isNull();
    } else {
      assertThat(decision.reason().code()).isEqualTo(noteCode);
    }
  }

  private static void assertHold(RolloutDecision decision, String code) {
    assertThat(decision.verdict()).as(decision.describe()).isEqualTo(Verdict.HOLD);
    assertThat(decision.reason().code()).isEqualTo(code);
  }

  private static final String PAUSED =
      "\"channels\": {\"stable\": {\"paused\": true, \"pauseReason\": \"incident 42\"}}";
  private static final String DEADEND_51 =
      "\"deadends\": [{\"ref\": \"v5.1.0\", \"reason\": \"db migration corrupts state\"}]";
  private static final String DEADEND_52 =
      "\"deadends\": [{\"ref\": \"v5.2.0\", \"reason\": \"crashes on boot\"}]";
  private static final String BARRIER_50 =
      "\"barriers\": [{\"ref\": \"v5.0.0\", \"reason\": \"config format change\"}]";
  private static final String ROLLOUT_52 =
      "\"rollouts\": [{\"ref\": \"v5.2.0\", \"start\": \"2026-11-20T00:00:00Z\","
          + " \"duration\": \"PT48H\"}]";
  private static final String WEEKEND_NIGHTS =
      "\"maintenanceWindows\": [{\"days\": [\"SAT\"], \"start\": \"22:00\", \"length\": \"PT4H\","
          + " \"zone\": \"UTC\"}]";

  // --- the plain cases -------------------------------------------------------------------------

  @Test
  void nodeMovesToTheTargetWhenNothingHoldsIt() {
    RolloutDecision decision = decide("", v51);

    assertMove(decision, v52, null);
    assertThat(decision.ref()).isEqualTo("v5.2.0");
    assertThat(decision.describe()).startsWith("move to v5.2.0 (" + v52.abbreviate(7).name());
  }

  @Test
  void nodeOnTheTargetStays() {
    RolloutDecision decision = decide(PAUSED, v52);

    assertThat(decision.verdict()).isEqualTo(Verdict.STAY);
    assertThat(decision.reason()).isNull();
  }

  @Test
  void targetWithoutAVersionIsNamedByItsBranch() {
    RolloutDecision decision =
        RolloutDecider.decide(policy(""), stableAt(v52, null), node(v51, 0.5), git, NOW);

    assertThat(decision.ref()).isEqualTo("refs/heads/master");
    assertThat(decision.describe()).startsWith("move to master (");
  }

  // --- pause -----------------------------------------------------------------------------------

  @Test
  void pausedChannelHoldsItsNodesWhereTheyAre() {
    RolloutDecision decision = decide(PAUSED, v51);

    assertHold(decision, "paused");
    assertThat(decision.reason().text()).isEqualTo("channel stable is paused: incident 42");
    assertThat(decision.reason().retryAt()).isNull();
    assertThat(decision.commit()).isEqualTo(v52);
  }

  @Test
  void pausingTheOtherChannelDoesNotHoldThisOne() {
    assertMove(decide("\"channels\": {\"preprod\": {\"paused\": true}}", v51), v52, null);
  }

  // --- frozen ----------------------------------------------------------------------------------

  @Test
  void frozenNodeIdNeverMoves() {
    RolloutDecision decision = decide("\"frozen\": [\"node-1\"]", v51);

    assertHold(decision, "frozen");
    assertThat(decision.reason().text()).startsWith("node node-1 is frozen");
  }

  @Test
  void frozenGroupNeverMovesEvenOffADeadend() {
    RolloutDecision decision =
        RolloutDecider.decide(
            policy("\"frozen\": [\"hpc\"], " + DEADEND_51),
            stableAt(v52, "v5.2.0"),
            node(v51, 0.5, "hpc", "rack-7"),
            git,
            NOW);

    assertHold(decision, "frozen");
    assertThat(decision.reason().text()).startsWith("group hpc is frozen");
  }

  @Test
  void nodeInAnotherGroupIsNotFrozen() {
    RolloutDecision decision =
        RolloutDecider.decide(
            policy("\"frozen\": [\"hpc\"]"),
            stableAt(v52, "v5.2.0"),
            node(v51, 0.5, "web"),
            git,
            NOW);

    assertMove(decision, v52, null);
  }

  // --- dead-ends -------------------------------------------------------------------------------

  @Test
  void deadendTargetIsNeverMovedOnto() {
    RolloutDecision decision = decide(DEADEND_52, v51);

    assertHold(decision, "deadend-target");
    assertThat(decision.reason().text()).contains("is a dead-end (crashes on boot)");
    assertThat(decision.reason().retryAt()).isNull();
  }

  @Test
  void deadendNamedByCommitIdOrFullRefMatchesToo() {
    assertHold(
        decide("\"deadends\": [{\"ref\": \"" + v52.name() + "\", \"reason\": \"x\"}]", v51),
        "deadend-target");
    assertHold(
        decide(
            "\"deadends\": [{\"ref\": \"" + v52.abbreviate(8).name() + "\", \"reason\": \"x\"}]",
            v51),
        "deadend-target");
    assertHold(
        decide("\"deadends\": [{\"ref\": \"refs/tags/v5.2.0\", \"reason\": \"x\"}]", v51),
        "deadend-target");
  }

  @Test
  void deadendThatDoesNotResolveMatchesNothing() {
    assertMove(decide("\"deadends\": [{\"ref\": \"v9.9.9\", \"reason\": \"x\"}]", v51), v52, null);
  }

  @Test
  void nodeOnADeadendMovesToTheTargetEvenWhilePausedAndOutsideEveryWindow() {
    RolloutDecision decision =
        decide(DEADEND_51 + ", " + PAUSED + ", " + WEEKEND_NIGHTS, v51, 0.5, NOW);

    assertMove(decision, v52, "deadend-escape");
    assertThat(decision.reason().text()).startsWith("leaving dead-end v5.1.0");
  }

  @Test
  void nodeOnADeadendThatIsStillTheTargetIsHeldThere() {
    RolloutDecision decision =
        RolloutDecider.decide(
            policy(DEADEND_51), stableAt(v51, "v5.1.0"), node(v51, 0.5), git, NOW);

    assertHold(decision, "deadend-target");
    assertThat(decision.reason().text()).contains("has nothing newer yet");
  }

  @Test
  void deadendInsideAPhasedRolloutHoldsEveryNodeWhateverTheirTicket() {
    Instant late = Instant.parse("2026-11-25T00:00:00Z");

    assertHold(decide(DEADEND_52 + ", " + ROLLOUT_52, v51, 0.0, late), "deadend-target");
    assertHold(decide(DEADEND_52 + ", " + ROLLOUT_52, v51, 0.99, NOW), "deadend-target");
  }

  @Test
  void nodeOnADeadendLeavesBeforeThePhasedRolloutReachesItsTicket() {
    Instant early = Instant.parse("2026-11-20T01:00:00Z");

    assertHold(decide(ROLLOUT_52, v50, 0.9, early), "phased-rollout");
    assertMove(decide(DEADEND_51 + ", " + ROLLOUT_52, v51, 0.9, early), v52, "deadend-escape");
  }

  // --- barriers --------------------------------------------------------------------------------

  @Test
  void nodeBelowABarrierGoesToTheBarrierFirstAndOnwardOnTheNextRun() {
    RolloutDecision first = decide(BARRIER_50, v4);

    assertMove(first, v50, "barrier");
    assertThat(first.ref()).isEqualTo("v5.0.0");
    assertThat(first.reason().text())
        .startsWith("barrier v5.0.0 (")
        .contains("(config format change); v5.2.0 (");

    assertMove(decide(BARRIER_50, first.commit()), v52, null);
  }

  @Test
  void theLowestOfSeveralBarriersComesFirst() {
    String barriers =
        "\"barriers\": [{\"ref\": \"v5.1.0\", \"reason\": \"b\"},"
            + " {\"ref\": \"v5.0.0\", \"reason\": \"a\"}]";

    assertMove(decide(barriers, v4), v50, "barrier");
    assertMove(decide(barriers, v50), v51, "barrier");
    assertMove(decide(barriers, v51), v52, null);
  }

  @Test
  void barrierDoesNotApplyWhenItIsTheTargetOrBehindTheNodeOrOnAnotherLine() {
    String barrier52 = "\"barriers\": [{\"ref\": \"v5.2.0\", \"reason\": \"x\"}]";
    assertMove(decide(barrier52, v4), v52, null);
    String barrier50 = BARRIER_50;
    assertMove(decide(barrier50, v51), v52, null);
    // A node on a hotfix off v4 is not an ancestor of the barrier's line: no barrier applies,
    // and v5.2.0 does not contain the hotfix, so the node does not move backwards either.
    assertHold(decide(barrier50, side), "downgrade");
  }

  // --- no way back -----------------------------------------------------------------------------

  @Test
  void targetOlderThanTheNodeIsADowngradeAndHolds() {
    RolloutDecision decision = decide("", v53);

    assertHold(decision, "downgrade");
    assertThat(decision.reason().text()).contains("only a dead-end or a rollback");
  }

  @Test
  void aChannelThatAllowsDowngradesFollowsAnOlderTarget() {
    assertMove(decide("\"channels\": {\"stable\": {\"allowDowngrade\": true}}", v53), v52, null);
  }

  @Test
  void targetOnAnotherLineIsADowngradeAndHolds() {
    assertHold(decide("", side), "downgrade");
  }

  @Test
  void targetWithNoSharedHistoryIsUnrelatedAndHolds() {
    ObjectId stranger = git.commit("stranger");

    assertHold(decide("", stranger), "unrelated-history");
  }

  @Test
  void nodeThatLeftPreprodStaysUntilStableReachesIt() {
    NodeFacts leaving = new NodeFacts("node-1", Set.of(), 0.5, v53, Map.of(), Channel.PREPROD);

    RolloutDecision held =
        RolloutDecider.decide(policy(""), stableAt(v52, "v5.2.0"), leaving, git, NOW);
    assertHold(held, "leaving-preprod");

    ObjectId v54 = git.commit("v5.4.0", v53);
    RolloutDecision reached =
        RolloutDecider.decide(policy(""), stableAt(v54, "v5.4.0"), leaving, git, NOW);
    assertMove(reached, v54, null);
  }

  @Test
  void nodeOnADeadEndMovesBackToTheTargetEvenWhenItIsOlder() {
    String deadend53 = "\"deadends\": [{\"ref\": \"v5.3.0\", \"reason\": \"rolled back\"}]";

    assertMove(decide(deadend53, v53), v52, "deadend-escape");
  }

  @Test
  void barrierWhilePausedHoldsTheNodeBelowIt() {
    RolloutDecision decision = decide(BARRIER_50 + ", " + PAUSED, v4);

    assertHold(decision, "paused");
    assertThat(decision.commit()).isEqualTo(v50);
    assertThat(decision.ref()).isEqualTo("v5.0.0");
  }

  @Test
  void nodeOnADeadendBelowABarrierLeavesThroughTheBarrierEvenWhilePaused() {
    String policy =
        "\"deadends\": [{\"ref\": \"v4.0.0\", \"reason\": \"leaks\"}], "
            + BARRIER_50
            + ", "
            + PAUSED;

    RolloutDecision decision = decide(policy, v4);

    assertMove(decision, v50, "deadend-escape");
    assertThat(decision.reason().text()).contains("barrier v5.0.0");
  }

  @Test
  void barrierThatIsADeadendHoldsTheNodeBelowIt() {
    String policy = "\"deadends\": [{\"ref\": \"v5.0.0\", \"reason\": \"bad\"}], " + BARRIER_50;

    RolloutDecision decision = decide(policy, v4);

    assertHold(decision, "deadend-target");
    assertThat(decision.commit()).isEqualTo(v50);
  }

  @Test
  void barrierBelowADeadendTargetStillLetsTheNodeReachTheBarrier() {
    assertMove(decide(DEADEND_52 + ", " + BARRIER_50, v4), v50, "barrier");
  }

  // --- phased rollouts -------------------------------------------------------------------------

  @Test
  void phasedRolloutHoldsANodeUntilTheFractionReachesItsTicketAndSaysWhen() {
    Instant start = Instant.parse("2026-11-20T00:00:00Z");
    Instant turn = start.plus(Duration.ofHours(12));

    RolloutDecision early = decide(ROLLOUT_52, v51, 0.25, start.plus(Duration.ofHours(6)));
    assertHold(early, "phased-rollout");
    assertThat(early.reason().retryAt()).isEqualTo(turn);
    assertThat(early.reason().text())
        .contains("has reached 12.5% of the fleet")
        .contains("ticket 0.2500 comes up at 2026-11-20T12:00:00Z");

    assertMove(decide(ROLLOUT_52, v51, 0.25, turn), v52, null);
  }

  @Test
  void phasedRolloutBoundaryExactlyAtTheTicketLetsTheNodeGo() {
    Instant start = Instant.parse("2026-11-20T00:00:00Z");
    for (double ticket : new double[] {0.25, 0.3, 0.123456789, 0.999999}) {
      Instant turn = policy(ROLLOUT_52).rollouts().get(0).admitsFrom(ticket);
      Duration exact = Duration.ofNanos((long) (ticket * Duration.ofHours(48).toNanos()));
      assertThat(Duration.between(start.plus(exact), turn).abs())
          .isLessThan(Duration.ofNanos(1000));

      assertMove(decide(ROLLOUT_52, v51, ticket, turn), v52, null);
      RolloutDecision before = decide(ROLLOUT_52, v51, ticket, turn.minusNanos(1));
      assertHold(before, "phased-rollout");
      assertThat(before.reason().retryAt()).isEqualTo(turn);
    }
  }

  @Test
  void startFractionLetsThatShareGoAtTheStartButNobodyBefore() {
    String rollout =
        "\"rollouts\": [{\"ref\": \"v5.2.0\", \"start\": \"2026-11-20T00:00:00Z\","
            + " \"duration\": \"PT48H\", \"startFraction\": 0.5}]";
    Instant start = Instant.parse("2026-11-20T00:00:00Z");

    RolloutDecision before = decide(rollout, v51, 0.0, start.minusSeconds(1));
    assertHold(before, "phased-rollout");
    assertThat(before.reason().retryAt()).isEqualTo(start);
    assertThat(before.reason().text()).contains("starts at 2026-11-20T00:00:00Z");
    assertMove(decide(rollout, v51, 0.5, start), v52, null);
    RolloutDecision later = decide(rollout, v51, 0.75, start);
    assertThat(later.reason().retryAt()).isEqualTo(start.plus(Duration.ofHours(24)));
    assertMove(decide(rollout, v51, 0.999, start.plus(Duration.ofHours(48))), v52, null);
  }

  @Test
  void rolloutOfAnotherReleaseDoesNotHoldThisOne() {
    String rollout =
        "\"rollouts\": [{\"ref\": \"v5.3.0\", \"start\": \"2030-01-01T00:00:00Z\","
            + " \"duration\": \"PT48H\"}]";
    assertMove(decide(rollout, v51, 0.9, NOW), v52, null);
  }

  @Test
  void phasedRolloutTurnOutsideEveryWindowIsRetriedAtTheNextWindow() {
    // The ticket comes up on Friday 2026-11-20 12:00Z; the only window opens Saturday 22:00Z.
    RolloutDecision decision =
        decide(
            ROLLOUT_52 + ", " + WEEKEND_NIGHTS, v51, 0.25, Instant.parse("2026-11-20T06:00:00Z"));

    assertHold(decision, "phased-rollout");
    assertThat(decision.reason().retryAt()).isEqualTo(Instant.parse("2026-11-21T22:00:00Z"));
    assertThat(decision.reason().text())
        .contains("in the maintenance window opening at 2026-11-21T22:00:00Z");
  }

  // --- maintenance windows ---------------------------------------------------------------------

  @Test
  void outsideEveryWindowTheNodeIsHeldUntilTheNextOpening() {
    RolloutDecision decision =
        decide(WEEKEND_NIGHTS, v51, 0.5, Instant.parse("2026-11-21T21:59:00Z"));

    assertHold(decision, "maintenance-window");
    assertThat(decision.reason().retryAt()).isEqualTo(Instant.parse("2026-11-21T22:00:00Z"));
    assertMove(decide(WEEKEND_NIGHTS, v51, 0.5, Instant.parse("2026-11-21T22:00:00Z")), v52, null);
  }

  @Test
  void windowCrossingMidnightCountsForTheDayItStarted() {
    // Saturday 22:00 + 4h runs into Sunday 02:00, though Sunday is not listed.
    assertMove(decide(WEEKEND_NIGHTS, v51, 0.5, Instant.parse("2026-11-22T01:59:59Z")), v52, null);
    RolloutDecision closed =
        decide(WEEKEND_NIGHTS, v51, 0.5, Instant.parse("2026-11-22T02:00:00Z"));
    assertHold(closed, "maintenance-window");
    assertThat(closed.reason().retryAt()).isEqualTo(Instant.parse("2026-11-28T22:00:00Z"));
    // A Sunday-evening 22:30 is not a window: it would start on Sunday.
    assertHold(
        decide(WEEKEND_NIGHTS, v51, 0.5, Instant.parse("2026-11-22T22:30:00Z")),
        "maintenance-window");
  }

  @Test
  void anyOfSeveralWindowsLetsTheNodeMove() {
    String windows =
        "\"maintenanceWindows\": [{\"days\": [\"MON\"], \"start\": \"02:00\", \"length\":"
            + " \"PT1H\", \"zone\": \"UTC\"}, {\"days\": [\"SAT\"], \"start\": \"02:30\","
            + " \"length\": \"PT1H\", \"zone\": \"UTC\"}]";

    assertMove(decide(windows, v51, 0.5, NOW), v52, null);
    RolloutDecision later = decide(windows, v51, 0.5, NOW.plus(Duration.ofHours(1)));
    assertThat(later.reason().retryAt()).isEqualTo(Instant.parse("2026-11-23T02:00:00Z"));
  }

  @Test
  void windowInBerlinFollowsTheSpringForwardChange() {
    // 2026-03-29 is the last Sunday of March: 02:00 CET jumps to 03:00 CEST.
    String window =
        "\"maintenanceWindows\": [{\"days\": [\"SUN\"], \"start\": \"02:30\", \"length\":"
            + " \"PT1H\", \"zone\": \"Europe/Berlin\"}]";
    // 02:30 does not exist that night; the window opens at 03:30 CEST = 01:30Z, for one real hour.
    RolloutDecision before = decide(window, v51, 0.5, Instant.parse("2026-03-29T01:29:59Z"));
    assertHold(before, "maintenance-window");
    assertThat(before.reason().retryAt()).isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
    assertMove(decide(window, v51, 0.5, Instant.parse("2026-03-29T02:29:59Z")), v52, null);
    assertHold(
        decide(window, v51, 0.5, Instant.parse("2026-03-29T02:30:00Z")), "maintenance-window");
    // A week later the window is 02:30 CEST = 00:30Z.
    assertMove(decide(window, v51, 0.5, Instant.parse("2026-04-05T00:30:00Z")), v52, null);
  }

  @Test
  void windowInBerlinFollowsTheFallBackChange() {
    // 2026-10-25 is the last Sunday of October: 03:00 CEST falls back to 02:00 CET.
    String window =
        "\"maintenanceWindows\": [{\"days\": [\"SUN\"], \"start\": \"01:00\", \"length\":"
            + " \"PT3H\", \"zone\": \"Europe/Berlin\"}]";
    // Opens 01:00 CEST = 23:00Z Saturday; three real hours later is 02:00Z (03:00 CET).
    assertMove(decide(window, v51, 0.5, Instant.parse("2026-10-24T23:00:00Z")), v52, null);
    assertMove(decide(window, v51, 0.5, Instant.parse("2026-10-25T01:59:59Z")), v52, null);
    RolloutDecision closed = decide(window, v51, 0.5, Instant.parse("2026-10-25T02:00:00Z"));
    assertHold(closed, "maintenance-window");
    // Next Sunday 01:00 CET = 00:00Z.
    assertThat(closed.reason().retryAt()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
  }

  // --- max attempts ----------------------------------------------------------------------------

  @Test
  void commitThatFailedMaxAttemptsTimesIsSkippedUntilANewerOneAppears() {
    NodeFacts failedThrice = new NodeFacts("node-1", Set.of(), 0.5, v51, Map.of(v52, 3));
    NodeFacts failedTwice = new NodeFacts("node-1", Set.of(), 0.5, v51, Map.of(v52, 2));

    RolloutDecision held =
        RolloutDecider.decide(policy(""), stableAt(v52, "v5.2.0"), failedThrice, git, NOW);
    assertHold(held, "max-attempts");
    assertThat(held.reason().text()).contains("failed 3 times on this node (maxAttempts 3)");
    assertMove(
        RolloutDecider.decide(policy(""), stableAt(v52, "v5.2.0"), failedTwice, git, NOW),
        v52,
        null);
    assertMove(
        RolloutDecider.decide(policy(""), stableAt(v53, "v5.3.0"), failedThrice, git, NOW),
        v53,
        null);
    assertMove(
        RolloutDecider.decide(
            policy("\"maxAttempts\": 4"), stableAt(v52, "v5.2.0"), failedThrice, git, NOW),
        v52,
        null);
  }

  @Test
  void failedBarrierHoldsTheNodeBelowIt() {
    NodeFacts node = new NodeFacts("node-1", Set.of(), 0.5, v4, Map.of(v50, 3));

    RolloutDecision decision =
        RolloutDecider.decide(policy(BARRIER_50), stableAt(v52, "v5.2.0"), node, git, NOW);

    assertHold(decision, "max-attempts");
    assertThat(decision.commit()).isEqualTo(v50);
  }

  // --- first install ---------------------------------------------------------------------------

  @Test
  void firstInstallGoesToTheTargetWhateverPauseFrozenWindowsRolloutsAndBarriersSay() {
    String everything =
        PAUSED
            + ", \"frozen\": [\"node-1\"], "
            + WEEKEND_NIGHTS
            + ", "
            + ROLLOUT_52
            + ", "
            + BARRIER_50;

    RolloutDecision decision =
        decide(everything, null, 0.99, Instant.parse("2026-11-20T01:00:00Z"));

    assertMove(decision, v52, "first-install");
  }

  @Test
  void firstInstallOfADeadendOrAnExhaustedTargetIsHeld() {
    assertHold(decide(DEADEND_52, null), "deadend-target");
    assertThat(decide(DEADEND_52, null).reason().text()).contains("nothing is installed");
    NodeFacts exhausted = new NodeFacts("node-1", Set.of(), 0.5, null, Map.of(v52, 3));
    assertHold(
        RolloutDecider.decide(policy(""), stableAt(v52, "v5.2.0"), exhausted, git, NOW),
        "max-attempts");
  }

  // --- precedence between holds ----------------------------------------------------------------

  @Test
  void holdsAreReportedInPrecedenceOrder() {
    String all = PAUSED + ", " + ROLLOUT_52 + ", " + WEEKEND_NIGHTS;
    Instant early = Instant.parse("2026-11-20T01:00:00Z");

    assertHold(
        decide("\"frozen\": [\"node-1\"], " + DEADEND_52 + ", " + all, v51, 0.9, early), "frozen");
    assertHold(decide(DEADEND_52 + ", " + all, v51, 0.9, early), "deadend-target");
    assertHold(decide(all, v51, 0.9, early), "paused");
    assertHold(decide(ROLLOUT_52 + ", " + WEEKEND_NIGHTS, v51, 0.9, early), "phased-rollout");
    assertHold(decide(WEEKEND_NIGHTS, v51, 0.9, early), "maintenance-window");
  }

  @Test
  void holdDescriptionSaysWhereTheNodeWouldGoAndWhen() {
    RolloutDecision decision = decide(WEEKEND_NIGHTS, v51, 0.5, NOW);

    assertThat(decision.describe())
        .startsWith("held (maintenance-window), not moving to v5.2.0 (")
        .endsWith("; retry after 2026-11-21T22:00:00Z");
  }
}
