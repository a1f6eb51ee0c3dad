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
import dev.sluice.core.report.Redaction;
import dev.sluice.core.rollout.ChannelHead;
import dev.sluice.core.rollout.NodeFacts;
import dev.sluice.core.rollout.Reason;
import dev.sluice.core.rollout.RolloutDecider;
import dev.sluice.core.rollout.RolloutDecision;
import dev.sluice.core.text.Show;
import dev.sluice.core.trust.ReleaseTrust;
import dev.sluice.core.trust.TrustFile;
import dev.sluice.core.version.ReleaseTag;
import dev.sluice.updater.apply.Applier;
import dev.sluice.updater.apply.ApplyListener;
import dev.sluice.updater.apply.ApplyOutcome;
import dev.sluice.updater.apply.ProcessRunner;
import dev.sluice.updater.git.DiskFull;
import dev.sluice.updater.git.RemoteReach;
import dev.sluice.updater.git.SavedChanges;
import dev.sluice.updater.git.WorkTreeLock;
import dev.sluice.updater.git.Workdir;
import dev.sluice.updater.lottery.LotteryResult;
import dev.sluice.updater.lottery.LotteryService;
import dev.sluice.updater.policy.NodePolicy;
import dev.sluice.updater.policy.RemoteGitFacts;
import dev.sluice.updater.slots.UpdateSlots;
import dev.sluice.updater.state.Database;
import dev.sluice.updater.state.FailedCommitStore;
import dev.sluice.updater.state.JournalStore;
import dev.sluice.updater.state.KeyValueStore;
import dev.sluice.updater.state.NodeIdentity;
import dev.sluice.updater.state.RunStore;
import dev.sluice.updater.state.StateException;
import dev.sluice.updater.trust.NodeTrust;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The phases of one run, in the order the types enforce: open the work tree (under its lock) →
 * recover an interrupted change → look at the remote → draw the lottery with the policy → plan
 * (target and decision) → act (stay, hold or move). Each phase returns what the next one needs or
 * throws a {@link RunFailure}; {@link #failed} is the one place that turns a failure into the run's
 * action, message and exit code.
 *
 * <p>It is one class, in sections per phase, because the phases share the run's state (the request,
 * the stores, the warnings it collects) and must all end in {@link #failed} or {@code finish}: a
 * class per phase would pass that state along and could reach the report some other way, which is
 * what one failure mapping is there to prevent.
 */
final class Run {

  private static final Logger LOG = LoggerFactory.getLogger(Run.class);

  private final RunRequest request;
  private final Database database;
  private final KeyValueStore kv;
  private final Instant started;
  private final Clock clock;
  private final RandomGenerator random;
  private final ProgressMonitor progress;
  private final ApplyListener listener;
  private final UpdateSlots slots;
  private final List<String> warnings = new ArrayList<>();
  private final String node;
  private final String name;

  /** The remote that answered this run (the configured one or a fallback); null until one did. */
  private String answered;

  private final TrustFile trust;

  /** The lottery and the policy it was drawn with: exists only once the lottery is drawn. */
  record Drawn(LotteryResult lottery, NodePolicy.Loaded policy) {}

  /** Where the node should be: the channel's target and the decision about it. */
  record Plan(
      Policy policy,
      ChannelSpec spec,
      ChannelTarget target,
      RolloutDecision decision,
      History history) {}

  Run(
      RunRequest request,
      Database database,
      Instant started,
      Clock clock,
      RandomGenerator random,
      ProgressMonitor progress,
      ApplyListener listener,
      boolean emptyStateFile,
      TrustFile trust,
      UpdateSlots slots) {
    this.request = request;
    this.trust = trust;
    this.slots = slots;
    this.database = database;
    this.kv = new KeyValueStore(database);
    this.started = started;
    this.clock = clock;
    this.random = random;
    this.progress = progress;
    this.listener = listener;
    database
        .movedAside()
        .ifPresent(
            aside ->
                warnings.add(
                    "state file was damaged; moved to " + aside + " and rebuilt (new ticket)"));
    if (emptyStateFile) {
      String text =
          "the state file "
              + request.state()
              + " was empty (lost or truncated?): the lottery ticket and the run history start"
              + " anew";
      LOG.warn(text);
      warnings.add(text);
    }
    this.node = NodeIdentity.resolve(kv, request.workdir(), request.identity(), started, warnings);
    this.name = request.identity().resolveName();
  }

  RunResult execute() {
    Facts facts = Facts.NOTHING;
    Drawn drawn = null;
    try (WorkTreeLock treeLock = WorkTreeLock.acquire(request.workdir(), started);
        Workdir workdir =
            Workdir.open(request.workdir(), request.remote(), request.savedRetention())) {
      NodeIdentity.remember(request.workdir(), node);
      for (String lock : workdir.clearStaleLocks()) {
        warnings.add("removed stale git lock " + lock + " left by a killed git or run");
      }
      facts = Facts.at(workdir.head());
      Applier applier = applier(workdir);
      facts = recover(applier, facts);
      facts = facts.withRemote(listRemote(workdir));
      drawn = draw(new NodePolicy(kv, trust).refresh(facts.refs(), workdir, progress, started));
      Plan plan = plan(drawn, facts, workdir);
      facts = facts.withTarget(plan.spec(), plan.target());
      return act(plan, drawn, facts, workdir, applier);
    } catch (RunFailure failure) {
      return failed(failure, drawn, facts);
    } catch (GitException e) {
      return failed(RunFailure.of(e), drawn, facts);
    } catch (StateException e) {
      return failed(RunFailure.of(e), drawn, facts);
    }
  }

  // --- recover -------------------------------------------------------------------------------

  private Applier applier(Workdir workdir) {
    return new Applier(
        workdir,
        new JournalStore(database),
        new FailedCommitStore(database),
        request.apply(),
        new ProcessRunner(),
        clock,
        listener,
        progress);
  }

  /** Finishes or undoes a change a killed run left half done. */
  private Facts recover(Applier applier, Facts facts) {
    Optional<ApplyOutcome> recovered;
    try {
      recovered = applier.recover();
    } catch (GitException e) {
      throw new RunFailure(
          RunFailure.Kind.BROKEN,
          RunFailure.of(e).code(),
          "recovering an interrupted update failed: " + e.getMessage() + "; needs a person");
    }
    if (recovered.isEmpty()) {
      return unreported(facts);
    }
    ApplyOutcome outcome = recovered.get();
    warnings.add("recovered: " + outcome.message());
    Facts after =
        facts
            .movedTo(Optional.ofNullable(outcome.current()))
            .withSaved(outcome.saved().map(SavedChanges::ref).orElse(null));
    if (outcome.result() == ApplyOutcome.Result.BROKEN) {
      throw new RunFailure(RunFailure.Kind.BROKEN, outcome.reasonCode(), outcome.message());
    }
    return after.startingFrom(after.current());
  }

  /**
   * A run killed after its change was complete but before it recorded the run finished its work and
   * printed nothing: say what it did, and where it saved local work.
   */
  private Facts unreported(Facts facts) {
    JournalStore journal = new JournalStore(database);
    Optional<JournalStore.Entry> latest = journal.latest();
    if (latest.isEmpty()) {
      return facts;
    }
    Optional<Long> reported = new RunStore(database).lastReportedJournal();
    JournalStore.Entry entry = latest.get();
    if (reported.isEmpty() || entry.id() <= reported.get()) {
      return facts;
    }
    Optional<String> saved = journal.savedRef(entry.id());
    String text =
        "the run that started at "
            + entry.startedAt()
            + " was stopped after its change to "
            + Show.commit(entry.toCommit())
            + " ended ("
            + entry.step()
            + ") and before it reported"
            + saved.map(ref -> "; its local changes are saved in " + ref).orElse("");
    LOG.warn(text);
    warnings.add(text);
    return facts.withSaved(saved.orElse(null));
  }

  // --- look at the remote, draw -------------------------------------------------------------

  /**
   * One ref advertisement from the first remote that answers (the configured one, else each
   * fallback in order, retried with backoff for {@code --retry-for}); later fetches go to it.
   */
  private RemoteRefs listRemote(Workdir workdir) {
    // The jitter has its own source: retries must not change which lottery ticket is drawn.
    RemoteReach.Reached reached =
        new RemoteReach(request.remote(), request.reach(), new SplittableRandom()).list();
    answered = reached.access().url();
    workdir.fetchFrom(reached.access());
    if (reached.fellBack()) {
      String text =
          "served by fallback remote "
              + answered
              + " ("
              + String.join("; ", reached.skipped().values())
              + ")";
      LOG.warn(text);
      warnings.add(text);
    }
    return reached.refs();
  }

  /** Draws (or keeps) the ticket with the policy's weights and period, unless overridden. */
  private Drawn draw(NodePolicy.Loaded loaded) {
    warnings.addAll(loaded.warnings());
    try {
      return drawWith(loaded);
    } catch (GitException | StateException | RunFailure e) {
      throw e;
    } catch (RuntimeException e) {
      // No policy value may stop a node: one that cannot be applied is treated as invalid.
      String text =
          "the rollout policy from "
              + loaded.source()
              + " cannot be applied ("
              + e.getMessage()
              + "); using the built-in defaults";
      LOG.warn(text);
      warnings.add(text);
      return drawWith(new NodePolicy.Loaded(Policy.defaults(), "built-in defaults", List.of()));
    }
  }

  private Drawn drawWith(NodePolicy.Loaded loaded) {
    Policy policy = loaded.policy();
    LotteryRules.Weight weight =
        request.probability() != null
            ? LotteryRules.weightFor(
                request.groups(), policy.lottery().groupWeights(), request.probability())
            : policy.lottery().weightFor(request.groups());
    Period period = request.period() != null ? request.period() : policy.lottery().period();
    LotteryResult lottery =
        new LotteryService(kv, random).draw(request.choice(), weight, period, started);
    if (lottery.warning() != null) {
      warnings.add(lottery.warning());
    }
    return new Drawn(lottery, loaded);
  }

  /** The lottery for a run that failed before the remote's policy was known. */
  private Drawn drawCached() {
    try {
      return draw(new NodePolicy(kv, trust).cached());
    } catch (StateException e) {
      warnings.add("the lottery could not be drawn: " + e.getMessage());
      return null;
    }
  }

  // --- plan ----------------------------------------------------------------------------------

  private Plan plan(Drawn drawn, Facts facts, Workdir workdir) {
    Policy policy = effective(drawn.policy().policy());
    Channel channel = drawn.lottery().channel();
    ChannelSpec spec =
        request.layout() != null ? request.layout().spec(channel) : policy.spec(channel);
    ChannelTarget target = ChannelTarget.resolve(channel, spec, facts.refs());
    History history =
        new History(
            workdir,
            new RemoteGitFacts(facts.refs(), workdir.repository()),
            progress,
            target.ref(),
            policy);
    RolloutDecision decision = decide(policy, ChannelHead.of(target), facts, drawn, history);
    if (facts.current().isEmpty()
        && decision.held()
        && Reason.DEADEND_TARGET.equals(decision.reason().code())) {
      decision = fallback(policy, spec, target, facts, drawn, history, decision);
    }
    LOG.debug("decision: {}", decision.describe());
    return new Plan(policy, spec, target, decision, history);
  }

  /** The policy with this node's override of maxAttempts applied. */
  private Policy effective(Policy policy) {
    Integer maxAttempts = request.apply().maxAttempts();
    return maxAttempts == null ? policy : policy.withMaxAttempts(maxAttempts);
  }

  private RolloutDecision decide(
      Policy policy, ChannelHead head, Facts facts, Drawn drawn, History history) {
    Map<ObjectId, Integer> attempts = new HashMap<>();
    new FailedCommitStore(database)
        .attempts()
        .forEach((commit, count) -> attempts.put(ObjectId.fromString(commit), count));
    NodeFacts nodeFacts =
        new NodeFacts(
            node,
            Set.copyOf(request.groups()),
            drawn.lottery().ticket(),
            facts.current().orElse(null),
            attempts,
            new RunStore(database).lastChannel().flatMap(Channel::find).orElse(null));
    try {
      return RolloutDecider.decide(policy, head, nodeFacts, history, started);
    } catch (GitException | StateException | RunFailure e) {
      throw e;
    } catch (RuntimeException e) {
      String text =
          "the rollout policy cannot be applied ("
              + e.getMessage()
              + "); deciding with the built-in defaults";
      LOG.warn(text);
      warnings.add(text);
      return RolloutDecider.decide(Policy.defaults(), head, nodeFacts, history, started);
    }
  }

  /**
   * A first install whose target is a dead-end installs the newest earlier release of the channel
   * that the policy lets it take; with none, the node has nothing to run.
   */
  private RolloutDecision fallback(
      Policy policy,
      ChannelSpec spec,
      ChannelTarget target,
      Facts facts,
      Drawn drawn,
      History history,
      RolloutDecision held) {
    List<ReleaseTag> releases = new ArrayList<>(facts.refs().releaseTags(spec.tagPattern()));
    java.util.Collections.reverse(releases);
    for (ReleaseTag release : releases) {
      if (release.commit().equals(target.commit())
          || !history.isAncestor(release.commit(), target.commit())) {
        continue;
      }
      RolloutDecision decision =
          decide(
              policy,
              new ChannelHead(
                  target.channel(), release.refName(), release.commit(), release.name()),
              facts,
              drawn,
              history);
      if (decision.moves()) {
        String text =
            held.reason().text()
                + "; installing "
                + release.name()
                + ", the newest earlier release of "
                + target.channel()
                + " instead";
        return new RolloutDecision(
            RolloutDecision.Verdict.MOVE,
            release.refName(),
            release.commit(),
            new Reason("deadend-fallback", text, null));
      }
    }
    throw new RunFailure(
        RunFailure.Kind.BROKEN,
        "nothing-to-run",
        held.reason().text()
            + "; no earlier release of "
            + target.channel()
            + " may be installed either: the node has nothing to run");
  }

  // --- act -----------------------------------------------------------------------------------

  private RunResult act(Plan plan, Drawn drawn, Facts facts, Workdir workdir, Applier applier) {
    RolloutDecision decision = plan.decision();
    return switch (decision.verdict()) {
      case STAY -> unchanged(plan, drawn, facts, workdir);
      case HOLD -> {
        String text = decision.reason().text() + keeping(facts.current());
        if (isBackwards(decision.reason().code())) {
          LOG.warn("held: {}", text);
          warnings.add(decision.reason().text());
        } else {
          LOG.info("held: {}", text);
        }
        yield finish(drawn, facts, Action.HELD, ExitCodes.OK, text, decision.reason().toReport());
      }
      case MOVE -> {
        UpdateSlots.Gate slot = takeSlot(plan, drawn);
        if (slot instanceof UpdateSlots.Held held) {
          yield finish(
              drawn,
              facts,
              Action.HELD,
              ExitCodes.OK,
              held.text() + keeping(facts.current()),
              new NodeReport.Reason(UpdateSlots.NO_SLOT, held.text()));
        }
        if (slot instanceof UpdateSlots.Proceed proceed) {
          warnings.add(proceed.warning());
        }
        RunResult moved = move(plan, drawn, facts, workdir, applier);
        // Healthy, or nothing changed after all (the target moved meanwhile): the slot goes back.
        // A failed update keeps it until it expires.
        Action action = moved.report().action();
        if (action == Action.UPDATED || action == Action.HELD) {
          slots.after(slot, node);
        }
        yield moved;
      }
    };
  }

  /**
   * An update slot from fleet-web when the policy limits how fast this node's lock group moves;
   * leaving a dead-end and a first install never wait for one.
   */
  private UpdateSlots.Gate takeSlot(Plan plan, Drawn drawn) {
    return slots.before(
        plan.policy().updateLimits(),
        drawn.lottery().channel(),
        request.groups(),
        node,
        plan.decision().reason());
  }

  private static boolean isBackwards(String code) {
    return Reason.DOWNGRADE.equals(code)
        || Reason.UNRELATED_HISTORY.equals(code)
        || Reason.LEAVING_PREPROD.equals(code);
  }

  /**
   * Already at the target: says {@code unchanged} only after checking that HEAD is the target and
   * every tracked file is there. Missing files are put back; edited ones (local work, or files the
   * post-update hook rewrites) are kept and named.
   */
  private RunResult unchanged(Plan plan, Drawn drawn, Facts facts, Workdir workdir) {
    ObjectId target = plan.target().commit();
    Optional<ObjectId> head = workdir.head();
    if (!head.equals(Optional.of(target))) {
      throw new RunFailure(
          RunFailure.Kind.BROKEN,
          "head-mismatch",
          "HEAD is "
              + head.map(Run::abbreviate).orElse("unborn")
              + ", expected "
              + abbreviate(target));
    }
    Workdir.TreeCheck check = workdir.check(started);
    String message =
        plan.target().channel() + ": already at " + describe(target, facts.version().orElse(null));
    if (!check.missing().isEmpty()) {
      workdir.restorePaths(target, check.missing());
      warnings.add(
          "restored "
              + check.missing().size()
              + " missing tracked file(s), e.g. "
              + check.missing().get(0));
      message += "; restored " + check.missing().size() + " missing tracked file(s)";
    }
    if (!check.modified().isEmpty()) {
      warnings.add(
          check.modified().size()
              + " tracked file(s) differ from "
              + abbreviate(target)
              + " (local edits, or written by the post-update hook), e.g. "
              + check.modified().get(0)
              + "; a move saves them first");
    }
    return finish(drawn, facts, Action.UNCHANGED, ExitCodes.OK, message, null);
  }

  private RunResult move(Plan plan, Drawn drawn, Facts facts, Workdir workdir, Applier applier) {
    RolloutDecision decision = plan.decision();
    String fetchRef =
        refFor(decision, plan)
            .orElseThrow(
                () ->
                    new RunFailure(
                        RunFailure.Kind.CONFIG,
                        "missing-ref",
                        "no remote ref names " + decision.commit().name()));
    ObjectId commit = plan.history().commitFor(fetchRef, decision.commit());
    if (!commit.equals(decision.commit())) {
      String text =
          fetchRef
              + " moved to "
              + abbreviate(commit)
              + " while it was being fetched; the next run decides again"
              + keeping(facts.current());
      return finish(
          drawn,
          facts,
          Action.HELD,
          ExitCodes.OK,
          text,
          new NodeReport.Reason("target-moved", text));
    }
    Optional<RunResult> untrusted = untrusted(fetchRef, commit, drawn, facts, workdir);
    if (untrusted.isPresent()) {
      return untrusted.get();
    }
    ChannelTarget moving =
        new ChannelTarget(
            plan.target().channel(),
            fetchRef,
            commit,
            facts.refs().releaseAt(plan.spec().tagPattern(), commit).orElse(null));
    Facts before = facts.withTarget(plan.spec(), moving);
    Optional<ObjectId> from = before.current();
    ApplyOutcome outcome = applier.apply(moving.channel().id(), fetchRef, from, commit);
    warnings.addAll(outcome.savedWarnings());
    Facts after =
        before
            .movedTo(Optional.ofNullable(outcome.current()))
            .withSaved(outcome.saved().map(SavedChanges::ref).orElse(null));
    return switch (outcome.result()) {
      case APPLIED -> {
        LOG.info(
            "moved {} from {} to {} ({})",
            moving.channel(),
            from.map(ObjectId::name).orElse("nothing"),
            commit.name(),
            fetchRef);
        Reason note = decision.reason();
        yield finish(
            drawn,
            after,
            Action.UPDATED,
            ExitCodes.OK,
            (from.isPresent() ? "updated " : "installed ")
                + moving.channel()
                + ": "
                + from.map(Run::abbreviate).orElse("nothing")
                + " -> "
                + describe(commit, after.version().orElse(null))
                + (note == null || Reason.FIRST_INSTALL.equals(note.code())
                    ? ""
                    : "; " + note.text()),
            null);
      }
      case ROLLED_BACK ->
          failed(
              new RunFailure(RunFailure.Kind.ROLLED_BACK, outcome.reasonCode(), outcome.message()),
              drawn,
              after);
      case REFUSED ->
          failed(
              new RunFailure(RunFailure.Kind.FAILED, outcome.reasonCode(), outcome.message()),
              drawn,
              after);
      case BROKEN, NOTHING_TO_UNDO ->
          failed(
              new RunFailure(RunFailure.Kind.BROKEN, outcome.reasonCode(), outcome.message()),
              drawn,
              after);
    };
  }

  /**
   * With a trust file, a move needs a trusted signature on the target (or a tag naming it): else
   * the node holds where it is, with reason {@code untrusted} and the signer it found.
   */
  private Optional<RunResult> untrusted(
      String fetchRef, ObjectId commit, Drawn drawn, Facts facts, Workdir workdir) {
    if (trust == null) {
      return Optional.empty();
    }
    ReleaseTrust.Decision decision =
        new NodeTrust(trust, kv).check(workdir, facts.refs(), commit, progress, started);
    if (decision.trusted()) {
      LOG.info("{} -> {}: {}", fetchRef, abbreviate(commit), decision.summary());
      return Optional.empty();
    }
    String text =
        "not moving to "
            + fetchRef
            + " ("
            + abbreviate(commit)
            + "): "
            + decision.summary()
            + keeping(facts.current());
    LOG.warn("held: {}", text);
    warnings.add(decision.summary());
    return Optional.of(
        finish(
            drawn,
            facts,
            Action.HELD,
            ExitCodes.OK,
            text,
            new NodeReport.Reason(Reason.UNTRUSTED, text)));
  }

  /** The remote ref to fetch for a move: the channel's own ref, the barrier's, or any naming it. */
  private static Optional<String> refFor(RolloutDecision decision, Plan plan) {
    if (decision.commit().equals(plan.target().commit())) {
      return Optional.of(plan.target().ref());
    }
    if (decision.ref().startsWith("refs/")) {
      return Optional.of(decision.ref());
    }
    for (Barrier barrier : plan.policy().barriers()) {
      Optional<RemoteRef> ref = plan.history().remoteRef(barrier.ref());
      if (ref.isPresent() && ref.get().commitId().equals(decision.commit())) {
        return Optional.of(ref.get().name());
      }
    }
    return Optional.empty();
  }

  /**
   * The report of a run that could not open its state file (a full disk): nothing was changed, exit
   * 11. The node id comes from the copy beside the work tree.
   */
  static RunResult withoutState(RunRequest request, Instant started, Clock clock, String message) {
    Optional<ObjectId> head = Workdir.peekHead(request.workdir());
    Channel channel = request.choice().pinned().orElse(Channel.STABLE);
    NodeReport report =
        new NodeReport(
            NodeIdentity.peek(request.workdir(), request.identity()).orElse("unknown"),
            channel.id(),
            channel == Channel.PREPROD,
            request.groups(),
            new NodeReport.Lottery(null, 0, null, null, "not drawn: the state file is unusable"),
            null,
            head.map(ObjectId::name).orElse(null),
            head.map(ObjectId::name).orElse(null),
            null,
            Action.FAILED,
            message,
            new NodeReport.Reason("disk-full", message),
            null,
            List.of(message),
            started,
            clock.instant());
    report = report.withIdentity(request.identity().resolveName(), UpdaterVersion.current(), null);
    return new RunResult(Redaction.report(report), ExitCodes.ROLLED_BACK);
  }

  // --- finish ----------------------------------------------------------------------------------

  /** The one mapping from a failure to the run's action, message and exit code. */
  private RunResult failed(RunFailure failure, Drawn drawn, Facts facts) {
    LOG.warn("run failed ({}): {}", failure.code(), failure.getMessage());
    String message =
        switch (failure.kind()) {
          case ROLLED_BACK -> failure.getMessage();
          case BROKEN ->
              failure.getMessage() + (facts == Facts.NOTHING ? "; nothing was changed" : "");
          case OFFLINE, CONFIG, FAILED -> failure.getMessage() + keeping(facts.current());
        };
    if (DiskFull.says(failure.getMessage()) && !message.contains("disk is full")) {
      message += " (the disk is full)";
    }
    return finish(
        drawn != null ? drawn : drawCached(),
        facts,
        failure.action(),
        failure.exitCode(),
        message,
        failure.reason());
  }

  private RunResult finish(
      Drawn drawn,
      Facts facts,
      Action action,
      int exitCode,
      String message,
      NodeReport.Reason reason) {
    LotteryResult lottery = drawn == null ? null : drawn.lottery();
    Channel channel =
        lottery != null ? lottery.channel() : request.choice().pinned().orElse(Channel.STABLE);
    NodeReport.Lottery lotteryPart =
        lottery == null
            ? new NodeReport.Lottery(null, 0, null, null, "not drawn: the state file is unusable")
            : new NodeReport.Lottery(
                lottery.ticket(),
                lottery.weight(),
                lottery.drawnAt(),
                lottery.nextDrawAt(),
                lottery.reason());
    ChannelTarget target = facts.target();
    NodeReport.Target targetPart =
        target == null
            ? null
            : new NodeReport.Target(
                target.ref(),
                target.commit().name(),
                target.releaseTag().map(ReleaseTag::name).orElse(null));
    NodeReport report =
        new NodeReport(
                node,
                channel.id(),
                channel == Channel.PREPROD,
                request.groups(),
                lotteryPart,
                targetPart,
                facts.previous().map(ObjectId::name).orElse(null),
                facts.current().map(ObjectId::name).orElse(null),
                facts.version().or(() -> lastVersion(facts)).orElse(null),
                action,
                message,
                reason,
                facts.saved(),
                warnings,
                started,
                clock.instant())
            .withIdentity(name, UpdaterVersion.current(), answered);
    // No secret from the remote URL leaves the process: message, reason and warnings are redacted.
    return new RunResult(Redaction.report(report), exitCode);
  }

  /** The release name of the current commit from the last run that knew it (offline runs). */
  private Optional<String> lastVersion(Facts facts) {
    if (facts.current().isEmpty()) {
      return Optional.empty();
    }
    try {
      String current = facts.current().get().name();
      return new RunStore(database)
          .last()
          .filter(last -> current.equals(last.currentCommit()))
          .map(NodeReport::version);
    } catch (StateException e) {
      return Optional.empty();
    }
  }

  private static String keeping(Optional<ObjectId> current) {
    return current.map(id -> "; keeping " + abbreviate(id)).orElse("; nothing installed yet");
  }

  static String abbreviate(ObjectId id) {
    return Show.commit(id);
  }

  private static String describe(ObjectId commit, String version) {
    return abbreviate(commit) + (version == null ? "" : " (" + version + ")");
  }
}
