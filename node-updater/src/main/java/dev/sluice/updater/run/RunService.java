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
import dev.sluice.updater.git.SavedChanges;
import dev.sluice.updater.git.Workdir;
import dev.sluice.updater.lottery.LotteryResult;
import dev.sluice.updater.lottery.LotteryService;
import dev.sluice.updater.state.Database;
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

  /**
   * @param clock the clock for the lottery, history and saved-change names ({@code --now})
   * @param random the ticket source ({@code SecureRandom} in production)
   * @param progress where fetch progress goes (a terminal, or nowhere)
   */
  public RunService(Clock clock, RandomGenerator random, ProgressMonitor progress) {
    this.clock = clock;
    this.random = random;
    this.progress = progress;
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

      RunResult result = update(request, lottery.channel(), report);
      new RunStore(database).record(result.report());
      LOG.info("run finished: {} ({})", result.report().action(), result.report().message());
      return result;
    }
  }

  private RunResult update(RunRequest request, Channel channel, Report report) {
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

      RemoteRefs refs;
      ChannelTarget target;
      try {
        refs = RemoteRefs.list(request.remote());
        target = ChannelTarget.resolve(channel, spec, refs);
      } catch (GitException e) {
        String keeping =
            previous.map(id -> "; keeping " + abbreviate(id)).orElse("; nothing installed yet");
        if (e.kind() == GitException.Kind.UNREACHABLE) {
          return report.finish(
              Action.OFFLINE, ExitCodes.OFFLINE, e.getMessage() + keeping, reason(e));
        }
        return report.finish(Action.FAILED, ExitCodes.USAGE, e.getMessage() + keeping, reason(e));
      }
      report.target = target;
      report.version =
          previous
              .flatMap(id -> refs.releaseAt(spec.tagPattern(), id))
              .map(ReleaseTag::name)
              .orElse(null);

      if (previous.isPresent() && previous.get().equals(target.commit())) {
        return report.finish(
            Action.UNCHANGED,
            ExitCodes.OK,
            channel + ": already at " + describe(target.commit(), report.version),
            null);
      }
      return apply(workdir, previous, target, refs, spec, report);
    }
  }

  private RunResult apply(
      Workdir workdir,
      Optional<ObjectId> previous,
      ChannelTarget target,
      RemoteRefs refs,
      ChannelSpec spec,
      Report report) {
    Instant now = report.started;
    ObjectId commit;
    try {
      commit = workdir.fetch(target.ref(), progress);
    } catch (GitException e) {
      String keeping =
          previous.map(id -> "; keeping " + abbreviate(id)).orElse("; nothing installed yet");
      Action action = e.kind() == GitException.Kind.UNREACHABLE ? Action.OFFLINE : Action.FAILED;
      int code = action == Action.OFFLINE ? ExitCodes.OFFLINE : ExitCodes.USAGE;
      return report.finish(action, code, e.getMessage() + keeping, reason(e));
    }
    String version = refs.releaseAt(spec.tagPattern(), commit).map(ReleaseTag::name).orElse(null);
    if (!commit.equals(target.commit())) {
      report.warnings.add(target.ref() + " moved while fetching; taking " + abbreviate(commit));
    }
    report.target =
        new ChannelTarget(
            target.channel(),
            target.ref(),
            commit,
            refs.releaseAt(spec.tagPattern(), commit).orElse(null));

    try {
      if (previous.isPresent()) {
        Optional<SavedChanges> saved = workdir.saveLocalChanges(now, "moving to " + commit.name());
        saved.ifPresent(
            s -> {
              report.saved = s.ref();
              report.warnings.add(s.describe());
            });
      }
      workdir.checkout(commit);
      workdir.verify(commit, now);
    } catch (GitException e) {
      return restore(workdir, previous, commit, report, e);
    }
    report.current = commit;
    report.version = version;
    String from = previous.map(RunService::abbreviate).orElse("nothing");
    LOG.info("moved {} from {} to {} ({})", target.channel(), from, commit.name(), target.ref());
    return report.finish(
        Action.UPDATED,
        ExitCodes.OK,
        (previous.isPresent() ? "updated " : "installed ")
            + target.channel()
            + ": "
            + from
            + " -> "
            + describe(commit, version),
        null);
  }

  /** Puts the previous commit back after a failed move; says exactly where things stand. */
  private RunResult restore(
      Workdir workdir,
      Optional<ObjectId> previous,
      ObjectId failed,
      Report report,
      GitException cause) {
    LOG.warn("update to {} failed: {}", failed.name(), cause.getMessage());
    if (previous.isEmpty()) {
      return report.finish(
          Action.FAILED,
          ExitCodes.BROKEN,
          "first install of " + abbreviate(failed) + " failed: " + cause.getMessage(),
          reason(cause));
    }
    try {
      workdir.checkout(previous.get());
      workdir.verify(previous.get(), report.started);
      report.current = previous.get();
      LOG.warn("restored {} after the failed update", previous.get().name());
      return report.finish(
          Action.ROLLED_BACK,
          ExitCodes.ROLLED_BACK,
          "update to "
              + abbreviate(failed)
              + " failed ("
              + cause.getMessage()
              + "); restored "
              + abbreviate(previous.get()),
          reason(cause));
    } catch (GitException restoreFailure) {
      report.current = workdir.head().orElse(null);
      LOG.error("restoring {} failed too: {}", previous.get().name(), restoreFailure.getMessage());
      return report.finish(
          Action.FAILED,
          ExitCodes.BROKEN,
          "update to "
              + abbreviate(failed)
              + " failed ("
              + cause.getMessage()
              + ") and restoring "
              + abbreviate(previous.get())
              + " failed too ("
              + restoreFailure.getMessage()
              + "); needs a person",
          reason(restoreFailure));
    }
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
