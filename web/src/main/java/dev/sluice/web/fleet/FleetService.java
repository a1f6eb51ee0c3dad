package dev.sluice.web.fleet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/**
 * Answers the dashboard's questions about the fleet from the store: the summary, pages of nodes, a
 * commit's health on preprod and the adoption history.
 */
public final class FleetService {

  /** The policy's default preprod probability. */
  public static final double DEFAULT_TARGET = 0.07;

  /** Nodes not seen for this long are listed as stale. */
  public static final Duration DEFAULT_STALE_AFTER = Duration.ofHours(2);

  /** How many nodes each list in the summary shows at most. */
  static final int LIST_LIMIT = 50;

  private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{40}");

  private final ReportStore writes;
  private final NodeQueries nodes;
  private final SummaryQueries summary;
  private final HealthQueries health;
  private final Clock clock;
  private final DoubleSupplier preprodTarget;
  private final Duration staleAfter;

  /**
   * @param preprodTarget the share of the fleet that should ride preprod (the policy's weight)
   * @param staleAfter how long a node may stay silent before it is listed as not seen
   */
  public FleetService(
      FleetDatabase database, Clock clock, double preprodTarget, Duration staleAfter) {
    this(database, false, clock, checkedTarget(preprodTarget), staleAfter);
  }

  /**
   * @param reportTimes judge promotion health by the times in the reports instead of when they
   *     arrived: only for simulations whose clock is not the dashboard's, since it lets a sender
   *     backdate a new node id
   * @param preprodTarget asked on every summary, e.g. the rollout policy's probability as last
   *     read; must answer at once, without I/O
   */
  public FleetService(
      FleetDatabase database,
      boolean reportTimes,
      Clock clock,
      DoubleSupplier preprodTarget,
      Duration staleAfter) {
    if (staleAfter.isNegative() || staleAfter.isZero()) {
      throw new IllegalArgumentException("stale-after must be positive");
    }
    Objects.requireNonNull(database);
    this.writes = new ReportStore(database);
    this.nodes = new NodeQueries(database);
    this.summary = new SummaryQueries(database);
    this.health = new HealthQueries(database, reportTimes);
    this.clock = Objects.requireNonNull(clock);
    this.preprodTarget = Objects.requireNonNull(preprodTarget);
    this.staleAfter = staleAfter;
  }

  private static DoubleSupplier checkedTarget(double target) {
    if (!(target >= 0.0 && target <= 1.0)) {
      throw new IllegalArgumentException("preprod target must be in [0,1]");
    }
    return () -> target;
  }

  public FleetService(FleetDatabase database, Clock clock) {
    this(database, clock, DEFAULT_TARGET, DEFAULT_STALE_AFTER);
  }

  /** The fleet at a glance. */
  public FleetSummary fleet() {
    Instant now = clock.instant();
    SummaryQueries.Aggregates a = summary.aggregates(now.minus(staleAfter), LIST_LIMIT);
    int total = 0;
    int active = 0;
    int preprod = 0;
    int preprodActive = 0;
    for (FleetSummary.ChannelCount channel : a.channels()) {
      total += channel.nodes();
      active += channel.activeNodes();
      if (channel.channel().equals("preprod")) {
        preprod = channel.nodes();
        preprodActive = channel.activeNodes();
      }
    }
    Double share = active == 0 ? null : (double) preprodActive / active;
    double target = preprodTarget.getAsDouble();
    FleetSummary.PreprodShare preprodShare =
        new FleetSummary.PreprodShare(
            preprod, preprodActive, share, target, share == null ? null : share - target);
    int failures =
        a.actions().getOrDefault("failed", 0) + a.actions().getOrDefault("rolled-back", 0);
    return new FleetSummary(
        now,
        staleAfter,
        total,
        active,
        a.channels(),
        preprodShare,
        a.versions(),
        a.actions(),
        new FleetSummary.Failures(failures, a.failureReasons(), a.recentFailures()),
        new FleetSummary.Held(a.actions().getOrDefault("held", 0), a.heldReasons(), a.heldNodes()),
        new FleetSummary.Stale(a.staleTotal(), a.staleNodes()));
  }

  /** Why the database cannot answer now, or empty when it can. */
  public Optional<String> unready() {
    try {
      summary.ping();
      return Optional.empty();
    } catch (StoreException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** One page of nodes. */
  public NodePage nodes(NodeQuery query) {
    return nodes.nodes(query);
  }

  /** The stored report of one node, as JSON. */
  public Optional<String> report(String node) {
    return nodes.report(node.toLowerCase(Locale.ROOT));
  }

  /** Forgets a decommissioned node. */
  public boolean forget(String node) {
    return writes.delete(node.toLowerCase(Locale.ROOT));
  }

  /**
   * How a commit fares on preprod since its release: only nodes known before {@code releasedAt}
   * that reported after it count.
   *
   * @throws IllegalArgumentException if {@code commit} is not 40 hex digits
   */
  public PromotionHealth promotionHealth(String commit, Instant releasedAt) {
    if (commit == null || !COMMIT.matcher(commit).matches()) {
      throw new IllegalArgumentException("commit must be 40 hex digits");
    }
    Objects.requireNonNull(releasedAt, "releasedAt");
    return health.promotionHealth(commit.toLowerCase(Locale.ROOT), releasedAt);
  }

  /** The fingerprint of the key pinned to a node, if it has one. */
  public Optional<String> pinnedKey(String node) {
    return nodes.pinnedKey(node.toLowerCase(Locale.ROOT));
  }

  /**
   * Forgets the key pinned to a node (a reinstalled node made a new one): its next signed report
   * pins the key it carries. Returns whether a key was pinned.
   */
  public boolean unpin(String node) {
    return writes.unpin(node.toLowerCase(Locale.ROOT));
  }

  /** Adoption per channel and version for the last {@code days} days (1 to 366). */
  public AdoptionHistory adoption(int days) {
    if (days < 1 || days > 366) {
      throw new IllegalArgumentException("days must be between 1 and 366");
    }
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    String from = today.minusDays(days - 1L).toString();
    return new AdoptionHistory(from, today.toString(), health.adoption(from));
  }
}
