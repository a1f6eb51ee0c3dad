package dev.sluice.updater.run;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.channel.ChannelSpec;
import dev.sluice.core.git.ChannelTarget;
import dev.sluice.core.git.GitException;
import dev.sluice.core.git.RemoteRef;
import dev.sluice.core.git.RemoteRefs;
import dev.sluice.core.lottery.LotteryRules;
import dev.sluice.core.policy.Barrier;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.report.Action;
import dev.sluice.core.report.NodeReport;
import dev.sluice.core.rollout.ChannelHead;
import dev.sluice.core.rollout.NodeFacts;
import dev.sluice.core.rollout.Reason;
import dev.sluice.core.rollout.RolloutDecider;
import dev.sluice.core.rollout.RolloutDecision;
import dev.sluice.core.version.ReleaseTag;
import dev.sluice.updater.apply.Applier;
import dev.sluice.updater.apply.ApplyListener;
import dev.sluice.updater.apply.ApplyOutcome;
import dev.sluice.updater.apply.ProcessRunner;
import dev.sluice.updater.git.Workdir;
import dev.sluice.updater.lottery.LotteryResult;
import dev.sluice.updater.lottery.LotteryService;
import dev.sluice.updater.policy.NodePolicy;
import dev.sluice.updater.policy.RemoteGitFacts;
import dev.sluice.updater.report.Redaction;
import dev.sluice.updater.state.Database;
import dev.sluice.updater.state.FailedCommitStore;
import dev.sluice.updater.state.JournalStore;
import dev.sluice.updater.state.KeyValueStore;
import dev.sluice.updater.state.RunStore;
import dev.sluice.updater.state.StateLock;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code node-updater run}: lock the state, draw the lottery, read the channel, move the
 * working tree, record the outcome. Callable in-process, so the demo and the benchmark drive many
 * simulated nodes through the same code path as the command.
 *
 * <p>Whatever fails, the working tree is left at a good commit: the one it had, or the target
 * verified. Expected failures (offline, missing branch, failed checkout) come back as a {@link
 * RunResult} with an action and exit code; only a refusal to start (state locked, state from a
 * newer version, bad usage) is thrown.
 */
public final class RunService {

  static final String NODE_ID = "node.id";

  private static final Logger LOG = LoggerFactory.getLogger(RunService.class);

  private final Clock clock;
  private final RandomGenerator random;
  private final ProgressMonitor progress;
  private final ApplyListener listener;

  /**
   * @param clock the clock for the lottery, history and saved-change names ({@code --now})
   * @param random the ticket source ({@code SecureRandom} in production)
   * @param progress where fetch progress goes (a terminal, or nowhere)
   */
  public RunService(Clock clock, RandomGenerator random, ProgressMonitor progress) {
    this(clock, random, progress, ApplyListener.NONE);
  }

  /**
   * @param listener told at every journal step of applying a change (fault-injection tests)
   */
  public RunService(
      Clock clock, RandomGenerator random, ProgressMonitor progress, ApplyListener listener) {
    this.clock = clock;
    this.random = random;
    this.progress = progress;
    this.listener = listener;
  }

  /**
   * Runs once.
   *
   * @throws dev.sluice.updater.state.StateException when the state file is locked by another run or
   *     was written by a newer version
   * @throws GitException {@code INVALID_REMOTE} when the remote is not a git URL
   */
  public RunResult run(RunRequest request) {
    RemoteRefs.checkRemoteSyntax(request.remote().url());
    Instant started = clock.instant();
    try (StateLock lock = StateLock.acquire(request.state(), started);
        Database database = Database.open(request.state(), started)) {
      KeyValueStore kv = new KeyValueStore(database);
      Report report = new Report(nodeId(kv, started), request, started);
      database
          .movedAside()
          .ifPresent(
              aside ->
                  report.warnings.add(
                      "state file was damaged; moved to " + aside + " and rebuilt (new ticket)"));
      RunResult result;
      Workdir workdir;
      try {
        workdir = Workdir.open(request.workdir(), request.remote());
      } catch (GitException e) {
        draw(request, kv, new NodePolicy(kv).cached(), report);
        result =
            report.finish(
                Action.FAILED,
                e.kind() == GitException.Kind.CORRUPT ? ExitCodes.BROKEN : ExitCodes.USAGE,
                e.getMessage() + "; nothing was changed",
                reason(e));
        return recorded(database, result);
      }
      try (workdir) {
        result = update(request, report, database, kv, workdir);
      }
      return recorded(database, result);
    }
  }

  private static RunResult recorded(Database database, RunResult result) {
    new RunStore(database).record(result.report());
    LOG.info("run finished: {} ({})", result.report().action(), result.report().message());
    return result;
  }

  /** Draws (or keeps) the ticket with the policy's weights and period, unless overridden. */
  private void draw(RunRequest request, KeyValueStore kv, NodePolicy.Loaded loaded, Report report) {
    Policy policy = loaded.policy();
    report.warnings.addAll(loaded.warnings());
    report.policy = loaded;
    LotteryRules.Weight weight =
        request.probability() != null
            ? LotteryRules.weightFor(
                request.groups(), policy.lottery().groupWeights(), request.probability())
            : policy.lottery().weightFor(request.groups());
    Period period = request.period() != null ? request.period() : policy.lottery().period();
    report.lottery =
        new LotteryService(kv, random).draw(request.choice(), weight, period, report.started);
  }

  private RunResult update(
      RunRequest request, Report report, Database database, KeyValueStore kv, Workdir workdir) {
    NodePolicy policies = new NodePolicy(kv);
    Optional<ObjectId> previous;
    try {
      previous = workdir.head();
    } catch (GitException e) {
      draw(request, kv, policies.cached(), report);
      return report.finish(
          Action.FAILED, ExitCodes.BROKEN, e.getMessage() + "; nothing was changed", reason(e));
    }
    report.previous = previous.orElse(null);
    report.current = previous.orElse(null);

    FailedCommitStore failures = new FailedCommitStore(database);
    Applier applier =
        new Applier(
            workdir,
            new JournalStore(database),
            failures,
            request.apply(),
            new ProcessRunner(),
            clock,
            listener,
            progress);
    Optional<ApplyOutcome> recovered;
    try {
      recovered = applier.recover();
    } catch (GitException e) {
      draw(request, kv, policies.cached(), report);
      return report.finish(
          Action.FAILED,
          ExitCodes.BROKEN,
          "recovering an interrupted update failed: " + e.getMessage() + "; needs a person",
          reason(e));
    }
    if (recovered.isPresent()) {
      ApplyOutcome outcome = recovered.get();
      report.warnings.add("recovered: " + outcome.message());
      report.current = outcome.current();
      if (outcome.result() == ApplyOutcome.Result.BROKEN) {
        draw(request, kv, policies.cached(), report);
        return report.finish(
            Action.FAILED,
            ExitCodes.BROKEN,
            outcome.message(),
            new NodeReport.Reason(outcome.reasonCode(), outcome.message()));
      }
      previous = Optional.ofNullable(outcome.current());
    }

    RemoteRefs refs;
    try {
      refs = RemoteRefs.list(request.remote());
    } catch (GitException e) {
      draw(request, kv, policies.cached(), report);
      Action action = e.kind() == GitException.Kind.UNREACHABLE ? Action.OFFLINE : Action.FAILED;
      int code = action == Action.OFFLINE ? ExitCodes.OFFLINE : ExitCodes.USAGE;
      return report.finish(action, code, e.getMessage() + keeping(previous), reason(e));
    }
    draw(request, kv, policies.refresh(refs, workdir, progress, report.started), report);
    Policy policy = effectivePolicy(report.policy.policy(), request);
    Channel channel = report.lottery.channel();
    ChannelSpec spec =
        request.layout() != null ? request.layout().spec(channel) : policy.spec(channel);

    ChannelTarget target;
    try {
      target = ChannelTarget.resolve(channel, spec, refs);
    } catch (GitException e) {
      return report.finish(
          Action.FAILED, ExitCodes.USAGE, e.getMessage() + keeping(previous), reason(e));
    }
    report.target = target;
    report.version = versionAt(refs, spec, previous.orElse(null));

    RemoteGitFacts git = new RemoteGitFacts(refs, workdir.repository());
    if (previous.isPresent()
        && !previous.get().equals(target.commit())
        && !policy.barriers().isEmpty()) {
      Optional<RunResult> failed = fetchHistory(workdir, target, policy, git, previous, report);
      if (failed.isPresent()) {
        return failed.get();
      }
    }
    Map<ObjectId, Integer> attempts = new HashMap<>();
    failures
        .attempts()
        .forEach((commit, count) -> attempts.put(ObjectId.fromString(commit), count));
    RolloutDecision decision =
        RolloutDecider.decide(
            policy,
            ChannelHead.of(target),
            new NodeFacts(
                report.node,
                Set.copyOf(request.groups()),
                report.lottery.ticket(),
                previous.orElse(null),
                attempts),
            git,
            report.started);
    LOG.debug("decision: {}", decision.describe());
    return switch (decision.verdict()) {
      case STAY ->
          report.finish(
              Action.UNCHANGED,
              ExitCodes.OK,
              channel + ": already at " + describe(target.commit(), report.version),
              null);
      case HOLD -> {
        String text = decision.reason().text() + keeping(previous);
        LOG.info("held: {}", text);
        yield report.finish(Action.HELD, ExitCodes.OK, text, decision.reason().toReport());
      }
      case MOVE -> {
        Optional<String> ref = refFor(decision, target, policy, git, refs);
        if (ref.isEmpty()) {
          yield report.finish(
              Action.FAILED,
              ExitCodes.USAGE,
              "no remote ref names " + decision.commit().name() + keeping(previous),
              new NodeReport.Reason(
                  "missing-ref", "no remote ref names " + decision.commit().name()));
        }
        if (decision.reason() != null && !Reason.FIRST_INSTALL.equals(decision.reason().code())) {
          report.note = decision.reason().text();
        }
        yield apply(workdir, applier, previous, target, ref.get(), refs, spec, report);
      }
    };
  }

  /** The policy with this node's overrides of maxAttempts applied. */
  private static Policy effectivePolicy(Policy policy, RunRequest request) {
    Integer maxAttempts = request.apply().maxAttempts();
    return maxAttempts == null ? policy : policy.withMaxAttempts(maxAttempts);
  }

  /** Barriers need ancestry: fetch the target and the barriers with their history. */
  private Optional<RunResult> fetchHistory(
      Workdir workdir,
      ChannelTarget target,
      Policy policy,
      RemoteGitFacts git,
      Optional<ObjectId> previous,
      Report report) {
    try {
      workdir.fetch(target.ref(), progress, true);
      for (Barrier barrier : policy.barriers()) {
        Optional<RemoteRef> ref = git.remoteRef(barrier.ref());
        if (ref.isPresent()) {
          workdir.fetch(ref.get().name(), progress, true);
        }
      }
      return Optional.empty();
    } catch (GitException e) {
      Action action = e.kind() == GitException.Kind.UNREACHABLE ? Action.OFFLINE : Action.FAILED;
      int code = action == Action.OFFLINE ? ExitCodes.OFFLINE : ExitCodes.ROLLED_BACK;
      return Optional.of(
          report.finish(action, code, e.getMessage() + keeping(previous), reason(e)));
    }
  }

  /** The remote ref to fetch for a move: the channel's own ref, or the barrier's. */
  private static Optional<String> refFor(
      RolloutDecision decision,
      ChannelTarget target,
      Policy policy,
      RemoteGitFacts git,
      RemoteRefs refs) {
    if (decision.commit().equals(target.commit())) {
      return Optional.of(target.ref());
    }
    for (Barrier barrier : policy.barriers()) {
      Optional<RemoteRef> ref = git.remoteRef(barrier.ref());
      if (ref.isPresent() && ref.get().commitId().equals(decision.commit())) {
        return Optional.of(ref.get().name());
      }
    }
    return refs.all().stream()
        .filter(ref -> ref.commitId().equals(decision.commit()))
        .map(RemoteRef::name)
        .findFirst();
  }

  private RunResult apply(
      Workdir workdir,
      Applier applier,
      Optional<ObjectId> previous,
      ChannelTarget target,
      String fetchRef,
      RemoteRefs refs,
      ChannelSpec spec,
      Report report) {
    ObjectId commit;
    try {
      commit = workdir.fetch(fetchRef, progress, !report.policy.policy().barriers().isEmpty());
    } catch (GitException e) {
      return switch (e.kind()) {
        case UNREACHABLE ->
            report.finish(
                Action.OFFLINE, ExitCodes.OFFLINE, e.getMessage() + keeping(previous), reason(e));
        case MISSING_REF, INVALID_REMOTE, ACCESS_DENIED ->
            report.finish(
                Action.FAILED, ExitCodes.USAGE, e.getMessage() + keeping(previous), reason(e));
        default ->
            report.finish(
                Action.FAILED,
                ExitCodes.ROLLED_BACK,
                e.getMessage() + "; nothing was changed" + keeping(previous),
                reason(e));
      };
    }
    if (fetchRef.equals(target.ref()) && !commit.equals(target.commit())) {
      report.warnings.add(target.ref() + " moved while fetching; taking " + abbreviate(commit));
    }
    report.target =
        new ChannelTarget(
            target.channel(),
            fetchRef,
            commit,
            refs.releaseAt(spec.tagPattern(), commit).orElse(null));

    ApplyOutcome outcome = applier.apply(target.channel().id(), fetchRef, previous, commit);
    outcome.saved().ifPresent(saved -> report.saved = saved.ref());
    report.warnings.addAll(outcome.savedWarnings());
    report.current = outcome.current();
    report.version = versionAt(refs, spec, outcome.current());
    String from = previous.map(RunService::abbreviate).orElse("nothing");
    return switch (outcome.result()) {
      case APPLIED -> {
        LOG.info("moved {} from {} to {} ({})", target.channel(), from, commit.name(), fetchRef);
        yield report.finish(
            Action.UPDATED,
            ExitCodes.OK,
            (previous.isPresent() ? "updated " : "installed ")
                + target.channel()
                + ": "
                + from
                + " -> "
                + describe(commit, report.version)
                + (report.note == null ? "" : "; " + report.note),
            null);
      }
      case ROLLED_BACK ->
          report.finish(
              Action.ROLLED_BACK,
              ExitCodes.ROLLED_BACK,
              outcome.message(),
              new NodeReport.Reason(outcome.reasonCode(), outcome.message()));
      case BROKEN, NOTHING_TO_UNDO ->
          report.finish(
              Action.FAILED,
              ExitCodes.BROKEN,
              outcome.message(),
              new NodeReport.Reason(outcome.reasonCode(), outcome.message()));
    };
  }

  private static String keeping(Optional<ObjectId> previous) {
    return previous.map(id -> "; keeping " + abbreviate(id)).orElse("; nothing installed yet");
  }

  private static String versionAt(RemoteRefs refs, ChannelSpec spec, ObjectId commit) {
    return commit == null
        ? null
        : refs.releaseAt(spec.tagPattern(), commit).map(ReleaseTag::name).orElse(null);
  }

  private static String nodeId(KeyValueStore kv, Instant now) {
    Optional<String> stored = kv.get(NODE_ID).filter(RunService::isUuid);
    if (stored.isPresent()) {
      return stored.get();
    }
    String id = UUID.randomUUID().toString();
    kv.put(NODE_ID, id, now);
    LOG.info("new node id {}", id);
    return id;
  }

  private static boolean isUuid(String text) {
    try {
      return UUID.fromString(text).toString().equals(text);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static NodeReport.Reason reason(GitException e) {
    String code =
        switch (e.kind()) {
          case UNREACHABLE -> "remote-unreachable";
          case ACCESS_DENIED -> "remote-access-denied";
          case INVALID_REMOTE -> "invalid-remote";
          case MISSING_REF -> "missing-ref";
          case REJECTED -> "rejected";
          case CORRUPT -> "workdir-corrupt";
          case OTHER -> "update-failed";
        };
    return new NodeReport.Reason(code, e.getMessage());
  }

  static String abbreviate(ObjectId id) {
    return id.abbreviate(10).name();
  }

  private static String describe(ObjectId commit, String version) {
    return abbreviate(commit) + (version == null ? "" : " (" + version + ")");
  }

  /** The parts of the report gathered as the run goes. */
  private final class Report {
    final String node;
    final RunRequest request;
    final Instant started;
    final List<String> warnings = new ArrayList<>();
    LotteryResult lottery;
    NodePolicy.Loaded policy;
    String note;
    ChannelTarget target;
    ObjectId previous;
    ObjectId current;
    String version;
    String saved;

    Report(String node, RunRequest request, Instant started) {
      this.node = node;
      this.request = request;
      this.started = started;
    }

    RunResult finish(Action action, int exitCode, String message, NodeReport.Reason reason) {
      NodeReport.Lottery lotteryPart =
          new NodeReport.Lottery(
              lottery.ticket(),
              lottery.weight(),
              lottery.drawnAt(),
              lottery.nextDrawAt(),
              lottery.reason());
      NodeReport.Target targetPart =
          target == null
              ? null
              : new NodeReport.Target(
                  target.ref(),
                  target.commit().name(),
                  target.releaseTag().map(ReleaseTag::name).orElse(null));
      NodeReport nodeReport =
          new NodeReport(
              node,
              lottery.channel().id(),
              lottery.channel() == Channel.PREPROD,
              request.groups(),
              lotteryPart,
              targetPart,
              previous == null ? null : previous.name(),
              current == null ? null : current.name(),
              version,
              action,
              message,
              reason,
              saved,
              warnings,
              started,
              clock.instant());
      return new RunResult(Redaction.report(nodeReport), exitCode);
    }
  }
}
