package dev.sluice.web.channels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.git.GitIsolation;
import dev.sluice.core.history.ChannelStatusReader;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.web.fleet.PromotionHealth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
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
