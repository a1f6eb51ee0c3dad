package dev.sluice.web.channels;

import static dev.sluice.web.testing.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.git.GitIsolation;
import dev.sluice.core.history.ChannelStatusReader;
import dev.sluice.core.policy.Deadend;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.Rollout;
import dev.sluice.core.report.NodeReport;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.web.fleet.ActiveCounts;
import dev.sluice.web.fleet.FleetDatabase;
import dev.sluice.web.fleet.PromotionHealth;
import dev.sluice.web.fleet.ReceivedReport;
import dev.sluice.web.fleet.ReportStore;
import dev.sluice.web.testing.PolicyRemote;
import dev.sluice.web.testing.Reports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelsServiceTest {

  static final Instant RELEASED = Instant.parse("2026-11-10T10:00:00Z");

  @TempDir Path dir;
  private TestRemote remote;
  private ObjectId candidate;
  private ObjectId stableTip;
  private final AtomicLong ticker = new AtomicLong();
  private final AtomicInteger healthCalls = new AtomicInteger();

  private final List<FleetDatabase> databases = new ArrayList<>();

  @AfterEach
  void closeDatabases() {
    databases.forEach(FleetDatabase::close);
  }

  @BeforeAll
  static void isolate() {
    GitIsolation.install();
  }

  @BeforeEach
  void remote() {
    remote = TestRemote.create(dir).at(RELEASED.minus(Duration.ofDays(20)));
    stableTip = remote.tip("master");
    remote.tag("v1.0.0", stableTip, "release 1.0.0");
    remote.at(RELEASED);
    candidate = remote.commit("preprod", "feature", Map.of("app.txt", "1.1"));
    remote.tag("v1.1.0_pre", candidate, "preprod release 1.1.0");
  }

  private ChannelsService service(
      Instant now, BiFunction<String, Instant, PromotionHealth> health) {
    return new ChannelsService(
        remote.uri(),
        dir.resolve("cache"),
        ChannelStatusReader.withDefaultChannels(),
        Clock.fixed(now, ZoneOffset.UTC),
        Duration.ofDays(7),
        (commit, releasedAt) -> {
          healthCalls.incrementAndGet();
          return health.apply(commit, releasedAt);
        },
        ticker::get,
        Duration.ofSeconds(30));
  }

  private ChannelsService policyService(
      Instant now, BiFunction<String, Instant, PromotionHealth> health) {
    return new ChannelsService(
        remote.uri(),
        dir.resolve("cache"),
        ChannelStatusReader.withDefaultChannels(),
        Clock.fixed(now, ZoneOffset.UTC),
        null,
        health,
        ticker::get,
        Duration.ofSeconds(30));
  }

  @Test
  void soakPauseThresholdsAndPreprodTargetComeFromTheRolloutPolicy() {
    remote.commit(
        "rollout-policy",
        "policy",
        Map.of(
            "channels.json",
            """
            {"schema": 1,
             "channels": {"stable": {"branch": "master", "tagPattern": "v*", "track": "branch",
                                     "paused": true, "pauseReason": "freeze"}},
             "lottery": {"probability": 0.12},
             "promotion": {"soak": "P2D", "minHealthyPreprodNodes": 10}}
            """));
    ChannelsService service = policyService(RELEASED.plus(Duration.ofDays(3)), healthy(5));
    assertThat(service.preprodTarget()).isEqualTo(0.07); // nothing read yet

    ChannelsView view = service.status();

    assertThat(service.preprodTarget()).isEqualTo(0.12);
    assertThat(view.promotion().soakRequired()).isEqualTo("PT48H");
    assertThat(view.promotion().allowed()).isFalse();
    assertThat(view.channels().get(1).reasons())
        .anySatisfy(r -> assertThat(r).contains("paused"))
        .anySatisfy(r -> assertThat(r).contains("5").contains("10"))
        .noneSatisfy(r -> assertThat(r).contains("soak"));
    assertThat(view.note()).contains("from the rollout policy");
  }

  @Test
  void invalidPolicyIsNamedAndDefaultsShown() {
    remote.commit(
        "rollout-policy", "broken", Map.of("channels.json", "{\"schema\": 1, \"maxAttempts\": 0}"));
    ChannelsView view = policyService(RELEASED.plus(Duration.ofDays(3)), healthy(5)).status();
    assertThat(view.note()).contains("invalid").contains("maxAttempts");
    assertThat(view.promotion().soakRequired()).isEqualTo("PT168H");
  }

  @Test
  void aPolicyThatCannotBeReadIsTreatedLikeAnInvalidOne() throws IOException {
    // The policy branch names a blob instead of a commit: reading it throws, not a validation
    // error, and used to make /api/channels answer 500.
    Repository repository = remote.repository();
    ObjectId blob;
    try (ObjectInserter inserter = repository.newObjectInserter()) {
      blob =
          inserter.insert(Constants.OBJ_BLOB, "{\"schema\": 1}".getBytes(StandardCharsets.UTF_8));
      inserter.flush();
    }
    RefUpdate update = repository.updateRef("refs/heads/rollout-policy");
    update.setNewObjectId(blob);
    update.setForceUpdate(true);
    assertThat(update.update()).isIn(RefUpdate.Result.NEW, RefUpdate.Result.FORCED);

    ChannelsView view = policyService(RELEASED.plus(Duration.ofDays(3)), healthy(5)).status();

    assertThat(view.error()).isNull();
    assertThat(view.note()).contains("invalid").contains("cannot be read");
    assertThat(view.promotion().soakRequired()).isEqualTo("PT168H");
  }

  // ---- the rollout policy's state on the cards ---------------------------------------------

  private ObjectId policyCommit(Instant at, String subject, Policy policy) {
    return PolicyRemote.commit(remote, at, subject, policy);
  }

  private FleetDatabase database() {
    FleetDatabase database = FleetDatabase.open(dir.resolve("fleet.db"));
    databases.add(database);
    return database;
  }

  /** Stores reports as if they had arrived at {@code receivedAt}. */
  private static void receive(FleetDatabase database, Instant receivedAt, NodeReport... reports) {
    List<ReceivedReport> received = new ArrayList<>();
    for (NodeReport report : reports) {
      received.add(new ReceivedReport(report, receivedAt));
    }
    new ReportStore(database).save(received, receivedAt);
  }

  private ChannelsService countingService(Instant now, FleetDatabase database) {
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    return new ChannelsService(
        remote.uri(),
        dir.resolve("cache"),
        ChannelStatusReader.withDefaultChannels(),
        clock,
        null,
        healthy(5),
        new ActiveCounts(database, clock, Duration.ofHours(2)),
        ticker::get,
        Duration.ofSeconds(30));
  }

  @Test
  void cardsShowPauseDeadendsFrozenGroupsAndThePhasedRolloutWithItsProgress() {
    Instant promoted = RELEASED.plus(Duration.ofDays(8));
    remote.at(promoted);
    ObjectId v110 = remote.commit("master", "release 1.1.0", Map.of("app.txt", "1.1"));
    remote.tag("v1.1.0", v110, "release 1.1.0");
    ObjectId bad = remote.commit("preprod", "storage rewrite", Map.of("app.txt", "1.2"));
    remote.tag("v1.2.0_pre", bad, "preprod release 1.2.0");

    Instant weighted = promoted.plus(Duration.ofHours(1));
    Instant frozenAt = weighted.plus(Duration.ofHours(1));
    Instant rolloutAt = frozenAt.plus(Duration.ofHours(1));
    Instant deadendAt = rolloutAt.plus(Duration.ofHours(1));
    Instant pausedAt = deadendAt.plus(Duration.ofHours(1));
    Instant laterEdit = pausedAt.plus(Duration.ofHours(1));
    Instant rolloutStart = rolloutAt.plus(Duration.ofHours(1));
    Policy policy =
        PolicyRemote.withFrozenAndWeights(Policy.defaults(), List.of(), Map.of("canary", 1.0));
    policyCommit(weighted, "lottery.groupWeights.canary=1.0", policy);
    policy = PolicyRemote.withFrozenAndWeights(policy, List.of("hpc"), Map.of("canary", 1.0));
    policyCommit(frozenAt, "freeze hpc: never touch the cluster", policy);
    Rollout rollout = new Rollout("v1.1.0", rolloutStart, Duration.ofHours(48), 0.1);
    policy = policy.withRollout(rollout);
    policyCommit(rolloutAt, "rollout v1.1.0 over 48 h", policy);
    policy = policy.withDeadend(new Deadend("v1.2.0_pre", "db migration corrupts state"));
    ObjectId deadendCommit = policyCommit(deadendAt, "dead-end v1.2.0_pre", policy);
    policy =
        policy.withChannel(
            Channel.PREPROD, policy.channel(Channel.PREPROD).pause("investigating slow sync"));
    ObjectId pauseCommit = policyCommit(pausedAt, "pause preprod: investigating", policy);
    policyCommit(laterEdit, "maxAttempts=4", policy.withMaxAttempts(4));

    // A quarter of the way through the rollout: 0.1 + 0.9 * 0.25 of the tickets are admitted.
    Instant now = rolloutStart.plus(Duration.ofHours(12));
    FleetDatabase database = database();
    List<NodeReport> active = new ArrayList<>();
    for (int n = 1; n <= 10; n++) {
      Reports report = report().node(n);
      if (n <= 4) {
        report.on(v110.name(), "v1.1.0");
      } else {
        report.on(stableTip.name(), "v1.0.0");
      }
      if (n >= 8) {
        report.groups("hpc");
      }
      active.add(report.build());
    }
    for (int n = 11; n <= 12; n++) {
      active.add(report().node(n).preprod().groups("canary").on(bad.name(), "v1.2.0_pre").build());
    }
    receive(database, now.minus(Duration.ofMinutes(5)), active.toArray(NodeReport[]::new));
    // Silent for three hours: on the target, but not counted.
    receive(
        database,
        now.minus(Duration.ofHours(3)),
        report().node(13).on(v110.name(), "v1.1.0").build());

    ChannelsView view = countingService(now, database).status();

    assertThat(view.error()).isNull();
    ChannelsView.Card stable = view.channels().get(0);
    ChannelsView.Card preprod = view.channels().get(1);

    assertThat(stable.paused()).isFalse();
    assertThat(stable.pause()).isNull();
    ChannelsView.PhasedRollout phased = stable.rollout();
    assertThat(phased).isNotNull();
    assertThat(phased.ref()).isEqualTo("v1.1.0");
    assertThat(phased.commit()).isEqualTo(v110.name());
    assertThat(phased.state()).isEqualTo("active");
    assertThat(phased.start()).isEqualTo(rolloutStart);
    assertThat(phased.duration()).isEqualTo("PT48H");
    assertThat(phased.startFraction()).isEqualTo(0.1);
    assertThat(phased.allowedShare()).isCloseTo(0.325, within(1e-9));
    assertThat(phased.completesAt()).isEqualTo(rolloutStart.plus(Duration.ofHours(48)));
    assertThat(phased.nodes()).isEqualTo(10);
    assertThat(phased.onTarget()).isEqualTo(4);
    assertThat(phased.share()).isEqualTo(0.4);
    assertThat(phased.since().time()).isEqualTo(rolloutAt);
    assertThat(preprod.rollout()).isNull();

    // The dead-end is a preprod release: on the preprod card only, with the nodes still on it.
    assertThat(stable.deadends()).isEmpty();
    assertThat(preprod.deadends())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.ref()).isEqualTo("v1.2.0_pre");
              assertThat(d.commit()).isEqualTo(bad.name());
              assertThat(d.reason()).isEqualTo("db migration corrupts state");
              assertThat(d.nodes()).isEqualTo(2);
              assertThat(d.since().commit()).isEqualTo(deadendCommit.name());
              assertThat(d.since().time()).isEqualTo(deadendAt);
            });

    // Paused since the commit that paused it, not the later unrelated edit.
    assertThat(preprod.paused()).isTrue();
    assertThat(preprod.pause().reason()).isEqualTo("investigating slow sync");
    assertThat(preprod.pause().since().commit()).isEqualTo(pauseCommit.name());
    assertThat(preprod.pause().since().time()).isEqualTo(pausedAt);
    assertThat(preprod.pause().since().by()).isEqualTo("Sluice Test <test@sluice.invalid>");

    assertThat(stable.frozen())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.name()).isEqualTo("hpc");
              assertThat(f.nodes()).isEqualTo(3);
              assertThat(f.since().time()).isEqualTo(frozenAt);
            });
    assertThat(preprod.frozen()).singleElement().satisfies(f -> assertThat(f.nodes()).isZero());

    // 10 nodes at 0.07 and 2 canaries at 1.0: 2.7 of 12 expected on preprod.
    ChannelsView.Lottery lottery = view.lottery();
    assertThat(lottery.probability()).isEqualTo(0.07);
    assertThat(lottery.activeNodes()).isEqualTo(12);
    assertThat(lottery.expectedShare()).isCloseTo(2.7 / 12, within(1e-9));
    assertThat(lottery.groupWeights())
        .containsExactly(new ChannelsView.GroupWeight("canary", 1.0, 2, 2));
  }

  @Test
  void withoutGroupWeightsTheExpectedShareIsTheProbability() {
    Instant now = RELEASED.plus(Duration.ofDays(1));
    FleetDatabase database = database();
    receive(
        database,
        now.minus(Duration.ofMinutes(1)),
        report().node(1).groups("canary").build(),
        report().node(2).preprod().groups("canary").build(),
        report().node(3).build());

    ChannelsView view = countingService(now, database).status();

    assertThat(view.lottery().activeNodes()).isEqualTo(3);
    assertThat(view.lottery().expectedShare()).isEqualTo(0.07);
    assertThat(view.lottery().groupWeights()).isEmpty();
    assertThat(view.channels()).allSatisfy(card -> assertThat(card.frozen()).isEmpty());
  }

  @Test
  void withoutFleetCountsThePolicyIsShownWithoutNodeNumbers() {
    Rollout rollout = new Rollout("v1.0.0", RELEASED, Duration.ofDays(2), 0.0);
    policyCommit(RELEASED, "rollout v1.0.0", Policy.defaults().withRollout(rollout));

    ChannelsView view = policyService(RELEASED.plus(Duration.ofDays(3)), healthy(5)).status();

    ChannelsView.PhasedRollout phased = view.channels().get(0).rollout();
    assertThat(phased.state()).isEqualTo("complete");
    assertThat(phased.allowedShare()).isEqualTo(1.0);
    assertThat(phased.nodes()).isNull();
    assertThat(phased.share()).isNull();
    assertThat(view.lottery().expectedShare()).isNull();
    assertThat(view.lottery().activeNodes()).isNull();
  }

  @Test
  void aRolledBackReleaseShowsOnItsChannelUntilTheNextRelease() {
    Instant promoted = RELEASED.plus(Duration.ofDays(8));
    remote.at(promoted);
    ObjectId v110 = remote.commit("master", "release 1.1.0", Map.of("app.txt", "1.1"));
    remote.tag("v1.1.0", v110, "release 1.1.0");
    Instant rolledBackAt = promoted.plus(Duration.ofHours(5));
    String tag =
        PolicyRemote.rollBack(
            remote,
            Policy.defaults(),
            rolledBackAt,
            "stable",
            "master",
            "v1.1.0",
            "v1.0.0",
            "db migration corrupts state");

    ChannelsView view = service(rolledBackAt.plus(Duration.ofHours(1)), healthy(5)).status();

    ChannelsView.Card stable = view.channels().get(0);
    assertThat(stable.commit()).isEqualTo(stableTip.name());
    assertThat(stable.rollback())
        .isEqualTo(
            new ChannelsView.RolledBack(
                tag,
                rolledBackAt,
                "Sluice Test <test@sluice.invalid>",
                "v1.1.0",
                v110.name(),
                "v1.0.0",
                stableTip.name(),
                "v1.1.0",
                "db migration corrupts state"));
    assertThat(stable.deadends())
        .extracting(ChannelsView.DeadendEntry::ref, ChannelsView.DeadendEntry::commit)
        .containsExactly(tuple("v1.1.0", v110.name()));
    assertThat(view.channels().get(1).rollback()).isNull();
    assertThat(view.channels().get(1).deadends()).isEmpty();

    // A new release on stable: the rollback is history, no longer the channel's state.
    remote.at(rolledBackAt.plus(Duration.ofDays(1)));
    ObjectId v111 = remote.commit("master", "release 1.1.1", Map.of("app.txt", "1.1.1"));
    remote.tag("v1.1.1", v111, "release 1.1.1");
    ticker.addAndGet(Duration.ofMinutes(1).toNanos());
    ChannelsView later = service(rolledBackAt.plus(Duration.ofDays(2)), healthy(5)).status();
    assertThat(later.channels().get(0).rollback()).isNull();
  }

  private static BiFunction<String, Instant, PromotionHealth> healthy(int nodes) {
    return (commit, releasedAt) -> PromotionHealth.of(commit, releasedAt, nodes, 0, nodes);
  }

  @Test
  void showsTipsTagsAndTheSoakStillToServe() {
    ChannelsView view = service(RELEASED.plus(Duration.ofDays(2)), healthy(5)).status();

    assertThat(view.error()).isNull();
    assertThat(view.channels()).hasSize(2);
    ChannelsView.Card stable = view.channels().get(0);
    assertThat(stable.channel()).isEqualTo("stable");
    assertThat(stable.branch()).isEqualTo("master");
    assertThat(stable.commit()).isEqualTo(stableTip.name());
    assertThat(stable.tag()).isEqualTo("v1.0.0");
    ChannelsView.Card preprod = view.channels().get(1);
    assertThat(preprod.commit()).isEqualTo(candidate.name());
    assertThat(preprod.tag()).isEqualTo("v1.1.0_pre");
    // The test remote's clock ticks a minute per commit and tag.
    assertThat(preprod.soakEndsAt())
        .isBetween(
            RELEASED.plus(Duration.ofDays(7)), RELEASED.plus(Duration.ofDays(7).plusMinutes(5)));
    assertThat(preprod.promotable()).isFalse();
    assertThat(preprod.reasons()).singleElement().asString().contains("5d 1m left");
    assertThat(view.promotion().candidateCommit()).isEqualTo(candidate.name());
    assertThat(view.promotion().soakRemaining())
        .isEqualTo(
            Duration.between(RELEASED.plus(Duration.ofDays(2)), preprod.soakEndsAt()).toString());
    PromotionHealth health = view.promotion().health();
    assertThat(health.healthyNodes()).isEqualTo(5);
    // Asked for the nodes that reported since the candidate's tag was made.
    assertThat(health.releasedAt()).isBetween(RELEASED, RELEASED.plus(Duration.ofMinutes(5)));
  }

  @Test
  void aSoakedHealthyCandidateIsPromotable() {
    ChannelsView view = service(RELEASED.plus(Duration.ofDays(8)), healthy(5)).status();
    ChannelsView.Card preprod = view.channels().get(1);
    assertThat(preprod.promotable()).isTrue();
    assertThat(preprod.reasons()).isEmpty();
    assertThat(view.promotion().allowed()).isTrue();
  }

  @Test
  void aCandidateMarkedADeadEndIsNeverPromotable() {
    remote.commit(
        "rollout-policy",
        "dead-end",
        Map.of(
            "channels.json",
            """
            {"schema": 1,
             "deadends": [{"ref": "v1.1.0_pre", "reason": "corrupts the cache"}]}
            """));

    ChannelsView view = policyService(RELEASED.plus(Duration.ofDays(8)), healthy(5)).status();

    ChannelsView.Card preprod = view.channels().get(1);
    assertThat(preprod.promotable()).isFalse();
    assertThat(view.promotion().allowed()).isFalse();
    assertThat(preprod.reasons())
        .anySatisfy(r -> assertThat(r).contains("v1.1.0_pre").contains("corrupts the cache"));
  }

  @Test
  void failingPreprodNodesBlockThePromotion() {
    ChannelsView view =
        service(
                RELEASED.plus(Duration.ofDays(8)),
                (commit, releasedAt) -> PromotionHealth.of(commit, releasedAt, 3, 3, 6))
            .status();
    ChannelsView.Card preprod = view.channels().get(1);
    assertThat(preprod.promotable()).isFalse();
    assertThat(preprod.reasons())
        .containsExactly("failure ratio 50.0 % (maximum 5.0 %) is too high");
  }

  @Test
  void aCandidateNoPreprodNodeRanIsNotPromotable() {
    ChannelsView view = service(RELEASED.plus(Duration.ofDays(8)), healthy(0)).status();
    ChannelsView.Card preprod = view.channels().get(1);
    assertThat(preprod.promotable()).isFalse();
    assertThat(preprod.reasons())
        .containsExactly(
            "only 0 healthy preprod nodes on the candidate (minimum 3 = max(3, 10 % of 0 preprod"
                + " nodes seen since the release))");
  }

  @Test
  void anAlreadyPromotedCandidateIsNotPromotableAgain() {
    remote.setBranch("master", candidate);
    remote.tag("v1.1.0", candidate, "release 1.1.0");
    ChannelsView view = service(RELEASED.plus(Duration.ofDays(8)), healthy(5)).status();
    assertThat(view.channels().get(0).tag()).isEqualTo("v1.1.0");
    assertThat(view.channels().get(1).promotable()).isFalse();
    assertThat(view.channels().get(1).reasons())
        .containsExactly("v1.1.0_pre is already promoted as v1.1.0; cut a new preprod release");
  }

  @Test
  void keepsTheAnswerForThirtySecondsOfPolling() {
    ChannelsService service = service(RELEASED.plus(Duration.ofDays(2)), healthy(1));
    String first = service.status().channels().get(1).commit();
    ObjectId moved = remote.commit("preprod", "more", Map.of("app.txt", "1.2"));

    ticker.addAndGet(Duration.ofSeconds(29).toNanos());
    assertThat(service.status().channels().get(1).commit()).isEqualTo(first);
    assertThat(healthCalls.get()).isEqualTo(1);

    ticker.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(service.status().channels().get(1).commit()).isEqualTo(moved.name());
    assertThat(healthCalls.get()).isEqualTo(2);
  }

  @Test
  void anUnreachableRemoteIsAnErrorFieldNotAnException() {
    String missing = dir.resolve("nowhere.git").toUri().toString();
    ChannelsService service =
        new ChannelsService(
            missing,
            dir.resolve("cache-missing"),
            ChannelStatusReader.withDefaultChannels(),
            Clock.fixed(RELEASED, ZoneOffset.UTC),
            Duration.ofDays(7),
            healthy(0),
            ticker::get,
            Duration.ofSeconds(30));
    ChannelsView view = service.status();
    assertThat(view.error()).isNotBlank().contains("nowhere.git");
    assertThat(view.channels()).isEmpty();
    assertThat(view.promotion()).isNull();
  }
}
