package dev.sluice.updater.run;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.channel.ChannelSpec;
import dev.sluice.core.git.ChannelTarget;
import dev.sluice.core.git.GitException;
import dev.sluice.core.git.RemoteRefs;
import dev.sluice.core.lottery.LotteryRules;
import dev.sluice.core.report.Action;
import dev.sluice.core.report.NodeReport;
import dev.sluice.core.version.ReleaseTag;
import dev.sluice.updater.apply.Applier;
import dev.sluice.updater.apply.ApplyListener;
import dev.sluice.updater.apply.ApplyOutcome;
import dev.sluice.updater.apply.ProcessRunner;
import dev.sluice.updater.git.Workdir;
import dev.sluice.updater.lottery.LotteryResult;
import dev.sluice.updater.lottery.LotteryService;
import dev.sluice.updater.state.Database;
import dev.sluice.updater.state.FailedCommitStore;
import dev.sluice.updater.state.JournalStore;
import dev.sluice.updater.state.KeyValueStore;
import dev.sluice.updater.state.RunStore;
import dev.sluice.updater.state.StateLock;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    RemoteRefs.checkRemoteSyntax(request.remote());
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

      LotteryRules.Weight weight =
          LotteryRules.weightFor(request.groups(), Map.of(), request.probability());
      LotteryResult lottery =
          new LotteryService(kv, random).draw(request.choice(), weight, request.period(), started);
      report.lottery = lottery;

      RunResult result = update(request, lottery.channel(), report, database);
      new RunStore(database).record(result.report());
      LOG.info("run finished: {} ({})", result.report().action(), result.report().message());
      return result;
    }
  }

  private RunResult update(RunRequest request, Channel channel, Report report, Database database) {
    ChannelSpec spec = request.layout().spec(channel);
    Workdir workdir;
    try {
      workdir = Workdir.open(request.workdir(), request.remote());
    } catch (GitException e) {
      return report.finish(
          Action.FAILED,
          e.kind() == GitException.Kind.CORRUPT ? ExitCodes.BROKEN : ExitCodes.USAGE,
          e.getMessage() + "; nothing was changed",
          reason(e));
    }
    try (workdir) {
      Optional<ObjectId> previous;
      try {
        previous = workdir.head();
      } catch (GitException e) {
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
          return report.finish(
              Action.FAILED,
              ExitCodes.BROKEN,
              outcome.message(),
              new NodeReport.Reason(outcome.reasonCode(), outcome.message()));
        }
        previous = Optional.ofNullable(outcome.current());
      }

      RemoteRefs refs;
      ChannelTarget target;
      try {
        refs = RemoteRefs.list(request.remote());
        target = ChannelTarget.resolve(channel, spec, refs);
      } catch (GitException e) {
        String keeping = keeping(previous);
        if (e.kind() == GitException.Kind.UNREACHABLE) {
          return report.finish(
              Action.OFFLINE, ExitCodes.OFFLINE, e.getMessage() + keeping, reason(e));
        }
        return report.finish(Action.FAILED, ExitCodes.USAGE, e.getMessage() + keeping, reason(e));
      }
      report.target = target;
      report.version = versionAt(refs, spec, previous.orElse(null));

      if (previous.isPresent() && previous.get().equals(target.commit())) {
        return report.finish(
            Action.UNCHANGED,
            ExitCodes.OK,
            channel + ": already at " + describe(target.commit(), report.version),
            null);
      }
      Optional<FailedCommitStore.Failure> failed = failures.find(target.commit().name());
      int maxAttempts = request.apply().maxAttempts();
      if (failed.isPresent() && failed.get().attempts() >= maxAttempts) {
        String text =
            "commit "
                + abbreviate(target.commit())
                + " failed "
                + failed.get().attempts()
                + " time(s) here (last: "
                + failed.get().lastReason()
                + "); skipped until a newer commit appears"
                + keeping(previous);
        return report.finish(
            Action.HELD, ExitCodes.OK, text, new NodeReport.Reason("max-attempts", text));
      }
      return apply(workdir, applier, previous, target, refs, spec, report);
    }
  }

  private RunResult apply(
      Workdir workdir,
      Applier applier,
      Optional<ObjectId> previous,
      ChannelTarget target,
      RemoteRefs refs,
      ChannelSpec spec,
      Report report) {
    ObjectId commit;
    try {
      commit = workdir.fetch(target.ref(), progress);
    } catch (GitException e) {
      return switch (e.kind()) {
        case UNREACHABLE ->
            report.finish(
                Action.OFFLINE, ExitCodes.OFFLINE, e.getMessage() + keeping(previous), reason(e));
        case MISSING_REF, INVALID_REMOTE ->
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
    if (!commit.equals(target.commit())) {
      report.warnings.add(target.ref() + " moved while fetching; taking " + abbreviate(commit));
    }
    report.target =
        new ChannelTarget(
            target.channel(),
            target.ref(),
            commit,
            refs.releaseAt(spec.tagPattern(), commit).orElse(null));

    ApplyOutcome outcome = applier.apply(target.channel().id(), target.ref(), previous, commit);
    outcome.saved().ifPresent(saved -> report.saved = saved.ref());
    report.warnings.addAll(outcome.savedWarnings());
    report.current = outcome.current();
    report.version = versionAt(refs, spec, outcome.current());
    String from = previous.map(RunService::abbreviate).orElse("nothing");
    return switch (outcome.result()) {
      case APPLIED -> {
        LOG.info(
            "moved {} from {} to {} ({})", target.channel(), from, commit.name(), target.ref());
        yield report.finish(
            Action.UPDATED,
            ExitCodes.OK,
            (previous.isPresent() ? "updated " : "installed ")
                + target.channel()
                + ": "
                + from
                + " -> "
                + describe(commit, report.version),
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
      return new RunResult(nodeReport, exitCode);
    }
  }
}
