package dev.sluice.web.fleet;

import static dev.sluice.web.testing.Reports.COMMIT_A;
import static dev.sluice.web.testing.Reports.COMMIT_B;
import static dev.sluice.web.testing.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.core.report.Action;
import dev.sluice.core.report.NodeReport;
import dev.sluice.web.testing.Reports;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetServiceTest {

  static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

  @TempDir Path dir;
  private FleetDatabase database;
  private ReportStore store;
  private FleetService service;

  @BeforeEach
  void open() {
    database = FleetDatabase.open(dir.resolve("fleet.db"));
    store = new ReportStore(database);
    service = new FleetService(database, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterEach
  void close() {
    database.close();
  }

  private List<ReportStore.Outcome> save(NodeReport... reports) {
    List<ReceivedReport> received = new ArrayList<>();
    for (NodeReport report : reports) {
      // Each report arrives when its run finished.
      received.add(new ReceivedReport(report, report.finishedAt()));
    }
    return store.save(received, NOW);
  }

  /** The known fleet most tests look at: see the comments for what each node is. */
  static List<NodeReport> knownFleet() {
    Instant recent = NOW.minus(Duration.ofMinutes(10));
    List<NodeReport> reports = new ArrayList<>();
    for (int n = 1; n <= 8; n++) { // 8 healthy stable nodes on v1.0.0
      reports.add(report().node(n).finishedAt(recent).build());
    }
    // 1 stable node not seen for 5 hours
    reports.add(report().node(9).finishedAt(NOW.minus(Duration.ofHours(5))).build());
    // preprod: one updated to the release candidate...
    reports.add(
        report()
            .node(10)
            .preprod()
            .on(COMMIT_B, "v1.1.0_pre")
            .action(Action.UPDATED)
            .finishedAt(recent)
            .build());
    // ...one rolled back from it...
    reports.add(
        report()
            .node(11)
            .preprod()
            .target(COMMIT_B)
            .action(Action.ROLLED_BACK)
            .reason("health-check-failed", "health check exited 1")
            .finishedAt(recent)
            .build());
    // ...one held outside its maintenance window...
    reports.add(
        report()
            .node(12)
            .preprod()
            .target(COMMIT_B)
            .action(Action.HELD)
            .reason("maintenance-window", "outside SAT,SUN 02:00+PT4H UTC")
            .finishedAt(recent)
            .build());
    // ...and one whose update failed outright.
    reports.add(
        report()
            .node(13)
            .preprod()
            .target(COMMIT_B)
            .action(Action.FAILED)
            .reason("restore-failed", "could not restore previous commit")
            .finishedAt(recent)
            .build());
    return reports;
  }

  @Test
  void aggregatesAKnownFleet() {
    save(knownFleet().toArray(NodeReport[]::new));

    FleetSummary fleet = service.fleet();

    assertThat(fleet.totalNodes()).isEqualTo(13);
    assertThat(fleet.activeNodes()).isEqualTo(12);
    assertThat(fleet.channels())
        .containsExactly(
            new FleetSummary.ChannelCount("preprod", 4, 4),
            new FleetSummary.ChannelCount("stable", 9, 8));
    assertThat(fleet.preprod().nodes()).isEqualTo(4);
    assertThat(fleet.preprod().share()).isCloseTo(4.0 / 12, within(1e-9));
    assertThat(fleet.preprod().target()).isEqualTo(0.07);
    assertThat(fleet.preprod().deviation()).isCloseTo(4.0 / 12 - 0.07, within(1e-9));
    assertThat(fleet.versions())
        .containsExactly(
            new FleetSummary.VersionCount("preprod", "v1.0.0", COMMIT_A, 3),
            new FleetSummary.VersionCount("preprod", "v1.1.0_pre", COMMIT_B, 1),
            new FleetSummary.VersionCount("stable", "v1.0.0", COMMIT_A, 9));
    assertThat(fleet.actions())
        .isEqualTo(Map.of("unchanged", 9, "updated", 1, "rolled-back", 1, "held", 1, "failed", 1));
    assertThat(fleet.failures().total()).isEqualTo(2);
    assertThat(fleet.failures().byReason())
        .containsExactlyInAnyOrder(
            new FleetSummary.ReasonCount(
                "rolled-back", "health-check-failed", COMMIT_B, 1, "health check exited 1"),
            new FleetSummary.ReasonCount(
                "failed", "restore-failed", COMMIT_B, 1, "could not restore previous commit"));
    assertThat(fleet.failures().recent())
        .extracting(NodeView::node)
        .containsExactly(Reports.nodeId(11), Reports.nodeId(13));
    assertThat(fleet.held().total()).isEqualTo(1);
    assertThat(fleet.held().byReason())
        .containsExactly(
            new FleetSummary.ReasonCount(
                "held", "maintenance-window", null, 1, "outside SAT,SUN 02:00+PT4H UTC"));
    assertThat(fleet.held().nodes()).extracting(NodeView::node).containsExactly(Reports.nodeId(12));
    assertThat(fleet.stale().total()).isEqualTo(1);
    assertThat(fleet.stale().nodes()).extracting(NodeView::node).containsExactly(Reports.nodeId(9));
  }

  @Test
  void aNodeWithAWrongClockIsSeenWhenItsReportArrives() {
    NodeReport slow = report().node(1).finishedAt(Instant.parse("2001-01-01T00:00:00Z")).build();
    store.save(List.of(new ReceivedReport(slow, NOW.minusSeconds(60))), NOW);
    FleetSummary fleet = service.fleet();
    assertThat(fleet.activeNodes()).isEqualTo(1);
    assertThat(fleet.stale().total()).isZero();
    assertThat(service.nodes(new NodeQuery(null, null, null, null, null, 0, 1)).nodes())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.lastSeen()).isEqualTo(NOW.minusSeconds(60));
              assertThat(n.finishedAt()).isEqualTo(slow.finishedAt());
            });
  }

  @Test
  void anOutOfOrderReportStillShowsTheNodeIsAlive() {
    String node = Reports.nodeId(1);
    save(report().node(node).finishedAt(NOW.minus(Duration.ofHours(3))).build());
    assertThat(service.fleet().stale().total()).isEqualTo(1);

    NodeReport older = report().node(node).finishedAt(NOW.minus(Duration.ofHours(4))).build();
    assertThat(store.save(List.of(new ReceivedReport(older, NOW)), NOW))
        .containsExactly(ReportStore.Outcome.OUT_OF_ORDER);

    FleetSummary fleet = service.fleet();
    assertThat(fleet.stale().total()).isZero();
    assertThat(fleet.activeNodes()).isEqualTo(1);
  }

  @Test
  void anEmptyFleetHasNoShare() {
    FleetSummary fleet = service.fleet();
    assertThat(fleet.totalNodes()).isZero();
    assertThat(fleet.preprod().share()).isNull();
    assertThat(fleet.channels()).isEmpty();
  }

  @Test
  void usesTheConfiguredTargetAndStaleness() {
    save(knownFleet().toArray(NodeReport[]::new));
    FleetService strict =
        new FleetService(database, Clock.fixed(NOW, ZoneOffset.UTC), 0.25, Duration.ofMinutes(5));
    FleetSummary fleet = strict.fleet();
    assertThat(fleet.activeNodes()).isZero();
    assertThat(fleet.stale().total()).isEqualTo(13);
    assertThat(fleet.preprod().target()).isEqualTo(0.25);
  }

  @Test
  void aSimulationCanBeJudgedByTheTimesInItsReports() {
    Instant released = NOW.minus(Duration.ofDays(3));
    List<ReceivedReport> story = new ArrayList<>();
    // A simulated story days behind the dashboard's clock: everything arrives now.
    story.add(
        new ReceivedReport(
            report().node(1).preprod().finishedAt(released.minusSeconds(600)).build(), NOW));
    story.add(
        new ReceivedReport(
            report()
                .node(1)
                .preprod()
                .on(COMMIT_B, "v1.1.0_pre")
                .finishedAt(released.plusSeconds(600))
                .build(),
            NOW));
    store.save(story, NOW);

    assertThat(service.promotionHealth(COMMIT_B, released).healthyNodes()).isZero();
    FleetService simulated =
        new FleetService(
            database,
            true,
            Clock.fixed(NOW, ZoneOffset.UTC),
            () -> FleetService.DEFAULT_TARGET,
            FleetService.DEFAULT_STALE_AFTER);
    assertThat(simulated.promotionHealth(COMMIT_B, released))
        .isEqualTo(PromotionHealth.of(COMMIT_B, released, 1, 0, 1));
  }

  @Test
  void promotionHealthCountsOnlyNodesKnownBeforeTheReleaseThatReportedAfterIt() {
    Instant released = NOW.minus(Duration.ofHours(1));
    Instant before = released.minus(Duration.ofHours(2));
    Instant after = released.plus(Duration.ofMinutes(10));
    // Nodes 1 to 4 and a stable node are known before the release.
    for (int n = 1; n <= 4; n++) {
      save(report().node(n).preprod().finishedAt(before).build());
    }
    save(report().node(20).finishedAt(before).build());
    // 1 runs the candidate afterwards: counts.
    save(report().node(1).preprod().on(COMMIT_B, "v1.1.0_pre").finishedAt(after).build());
    // 2 failed on it afterwards: counts as failed.
    save(
        report()
            .node(2)
            .preprod()
            .target(COMMIT_B)
            .action(Action.ROLLED_BACK)
            .reason("health-check-failed", "exit 1")
            .finishedAt(after)
            .build());
    // 3 reported the commit before the release was cut only: does not count.
    save(
        report()
            .node(3)
            .preprod()
            .on(COMMIT_B, "v1.1.0_pre")
            .finishedAt(released.minusSeconds(60))
            .build());
    // 4 is still on the old commit: seen, but not healthy on the candidate.
    save(report().node(4).preprod().finishedAt(after).build());
    // A burst of brand-new ids on the candidate: none counts.
    for (int n = 100; n < 110; n++) {
      save(report().node(n).preprod().on(COMMIT_B, "v1.1.0_pre").finishedAt(after).build());
    }
    // A stable node on the candidate does not count: only preprod soaks it.
    save(report().node(20).on(COMMIT_B, "v1.1.0").finishedAt(after).build());

    PromotionHealth health = service.promotionHealth(COMMIT_B.toUpperCase(), released);

    assertThat(health).isEqualTo(PromotionHealth.of(COMMIT_B, released, 1, 1, 3));
    assertThat(health.failureRatio()).isEqualTo(0.5);
    assertThat(service.promotionHealth("d".repeat(40), released))
        .isEqualTo(PromotionHealth.of("d".repeat(40), released, 0, 0, 3));
    assertThatThrownBy(() -> service.promotionHealth("abc", released))
        .hasMessage("commit must be 40 hex digits");
  }

  @Test
  void keepsOnlyTheLatestReportPerNode() {
    String node = Reports.nodeId(1);
    assertThat(
            save(
                report().node(node).finishedAt(NOW.minusSeconds(60)).build(),
                report()
                    .node(node)
                    .preprod()
                    .on(COMMIT_B, "v1.1.0_pre")
                    .action(Action.UPDATED)
                    .finishedAt(NOW.minusSeconds(30))
                    .build(),
                report().node(node).finishedAt(NOW.minusSeconds(90)).build()))
        .containsExactly(
            ReportStore.Outcome.STORED,
            ReportStore.Outcome.STORED,
            ReportStore.Outcome.OUT_OF_ORDER);

    FleetSummary fleet = service.fleet();
    assertThat(fleet.totalNodes()).isEqualTo(1);
    assertThat(fleet.versions())
        .containsExactly(new FleetSummary.VersionCount("preprod", "v1.1.0_pre", COMMIT_B, 1));
    assertThat(service.report(node)).get().asString().contains("\"v1.1.0_pre\"");
  }

  @Test
  void adoptionCountsEachNodeOncePerDayOnItsLastVersion() {
    Instant day1 = Instant.parse("2026-11-18T09:00:00Z");
    Instant day2 = Instant.parse("2026-11-19T09:00:00Z");
    save(
        report().node(1).finishedAt(day1).build(),
        report().node(1).on(COMMIT_B, "v1.1.0").finishedAt(day1.plusSeconds(3600)).build(),
        report().node(2).finishedAt(day1).build(),
        report().node(1).on(COMMIT_B, "v1.1.0").finishedAt(day2).build(),
        report().node(1).on(COMMIT_B, "v1.1.0").finishedAt(day2.plusSeconds(60)).build(),
        report().node(3).preprod().on(COMMIT_B, null).finishedAt(day2).build());

    AdoptionHistory history = service.adoption(7);

    assertThat(history.from()).isEqualTo("2026-11-14");
    assertThat(history.to()).isEqualTo("2026-11-20");
    assertThat(history.points())
        .containsExactly(
            new AdoptionHistory.Point("2026-11-18", "stable", "v1.0.0", 1),
            new AdoptionHistory.Point("2026-11-18", "stable", "v1.1.0", 1),
            new AdoptionHistory.Point("2026-11-19", "preprod", COMMIT_B.substring(0, 12), 1),
            new AdoptionHistory.Point("2026-11-19", "stable", "v1.1.0", 1));
    assertThat(service.adoption(1).points()).isEmpty();
  }

  @Test
  void pagesNodesInIdOrderWithOffsetsAndCursors() {
    List<NodeReport> reports = new ArrayList<>();
    for (int n = 120; n >= 1; n--) {
      reports.add(report().node(n).groups(n % 2 == 0 ? "farm-even" : "farm-odd").build());
    }
    save(reports.toArray(NodeReport[]::new));

    NodePage first = service.nodes(new NodeQuery(null, null, null, null, null, 0, 50));
    assertThat(first.total()).isEqualTo(120);
    assertThat(first.nodes()).hasSize(50);
    assertThat(first.nodes().get(0).node()).isEqualTo(Reports.nodeId(1));
    assertThat(first.next()).isEqualTo(Reports.nodeId(50));

    NodePage second = service.nodes(new NodeQuery(null, null, null, null, first.next(), 0, 50));
    assertThat(second.nodes().get(0).node()).isEqualTo(Reports.nodeId(51));
    NodePage byOffset = service.nodes(new NodeQuery(null, null, null, null, null, 50, 50));
    assertThat(byOffset.nodes()).isEqualTo(second.nodes());

    NodePage last = service.nodes(new NodeQuery(null, null, null, null, second.next(), 0, 50));
    assertThat(last.nodes()).hasSize(20);
    assertThat(last.next()).isNull();

    NodePage odd = service.nodes(new NodeQuery(null, null, null, "FARM-ODD", null, 0, 500));
    assertThat(odd.total()).isEqualTo(60);
    assertThat(odd.nodes()).allSatisfy(n -> assertThat(n.groups()).containsExactly("farm-odd"));
  }

  @Test
  void filtersNodesByChannelVersionActionAndText() {
    save(knownFleet().toArray(NodeReport[]::new));

    assertThat(service.nodes(new NodeQuery("preprod", null, null, null, null, 0, 50)).total())
        .isEqualTo(4);
    assertThat(service.nodes(new NodeQuery(null, "v1.1.0_pre", null, null, null, 0, 50)).nodes())
        .extracting(NodeView::node)
        .containsExactly(Reports.nodeId(10));
    assertThat(service.nodes(new NodeQuery(null, null, "held", null, null, 0, 50)).nodes())
        .extracting(NodeView::node)
        .containsExactly(Reports.nodeId(12));
    // Text search finds commits (current and target) and node ids, and treats % and _ literally.
    assertThat(service.nodes(new NodeQuery(null, null, null, "bbbbbbbb", null, 0, 50)).total())
        .isEqualTo(4);
    assertThat(service.nodes(new NodeQuery(null, null, null, "000000000013", null, 0, 50)).total())
        .isEqualTo(1);
    assertThat(service.nodes(new NodeQuery(null, null, null, "%", null, 0, 50)).total()).isZero();
    // Only v1.1.0_pre has a literal underscore; as a wildcard "_" would match all 13 nodes.
    assertThat(service.nodes(new NodeQuery(null, null, null, "_", null, 0, 50)).total())
        .isEqualTo(1);
  }

  @Test
  void forgetsANode() {
    save(report().node(1).build(), report().node(2).build());
    assertThat(service.forget(Reports.nodeId(1))).isTrue();
    assertThat(service.forget(Reports.nodeId(1))).isFalse();
    assertThat(service.fleet().totalNodes()).isEqualTo(1);
  }

  @Test
  void theWriterStoresConcurrentReportsInBatches() throws Exception {
    try (ReportWriter writer = new ReportWriter(store, Clock.fixed(NOW, ZoneOffset.UTC))) {
      List<CompletableFuture<ReportStore.Outcome>> done = new ArrayList<>();
      for (int n = 1; n <= 1_000; n++) {
        done.add(writer.submit(new ReceivedReport(report().node(n).build(), NOW)));
      }
      for (CompletableFuture<ReportStore.Outcome> future : done) {
        assertThat(future.get()).isEqualTo(ReportStore.Outcome.STORED);
      }
    }
    assertThat(service.fleet().totalNodes()).isEqualTo(1_000);
  }

  @Test
  void incrementalCountsMatchTheLatestReportsAfterManyUpdatesAndDeletes() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    Map<String, NodeReport> latest = new java.util.HashMap<>();
    String[] commits = {COMMIT_A, COMMIT_B, Reports.COMMIT_C};
    Action[] actions = Action.values();
    for (int round = 0; round < 40; round++) {
      List<NodeReport> batch = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        String node = Reports.nodeId(random.nextInt(60));
        int c = random.nextInt(3);
        Action action = actions[random.nextInt(actions.length)];
        Reports builder =
            report()
                .node(node)
                .on(commits[c], c == 2 ? null : "v1." + c + ".0")
                .target(commits[random.nextInt(3)])
                .action(action)
                .finishedAt(NOW.minusSeconds(random.nextInt(200_000)));
        if (random.nextBoolean()) {
          builder.preprod();
        }
        if (action == Action.HELD || action == Action.FAILED || action == Action.ROLLED_BACK) {
          builder.reason("code-" + random.nextInt(3), "text");
        }
        NodeReport report = builder.build();
        batch.add(report);
        NodeReport before = latest.get(node);
        if (before == null || !report.finishedAt().isBefore(before.finishedAt())) {
          latest.put(node, report);
        }
      }
      save(batch.toArray(NodeReport[]::new));
      String forget = Reports.nodeId(random.nextInt(60));
      assertThat(service.forget(forget)).isEqualTo(latest.remove(forget) != null);
    }

    FleetSummary fleet = service.fleet();
    Map<String, Integer> expectedActions = new java.util.TreeMap<>();
    Map<String, Integer> expectedVersions = new java.util.TreeMap<>();
    for (NodeReport r : latest.values()) {
      expectedActions.merge(r.action().id(), 1, Integer::sum);
      String label = r.version() != null ? r.version() : r.currentCommit().substring(0, 12);
      expectedVersions.merge(r.channel() + " " + label + " " + r.currentCommit(), 1, Integer::sum);
    }
    Map<String, Integer> actualVersions = new java.util.TreeMap<>();
    for (FleetSummary.VersionCount v : fleet.versions()) {
      actualVersions.put(v.channel() + " " + v.version() + " " + v.commit(), v.nodes());
    }
    assertThat(fleet.totalNodes()).isEqualTo(latest.size());
    assertThat(fleet.actions()).isEqualTo(expectedActions);
    assertThat(actualVersions).isEqualTo(expectedVersions);
  }
}
