package dev.sluice.updater.apply;

import dev.sluice.core.git.GitException;
import dev.sluice.core.text.Show;
import dev.sluice.updater.git.DiskFull;
import dev.sluice.updater.git.SavedChanges;
import dev.sluice.updater.git.Workdir;
import dev.sluice.updater.state.FailedCommitStore;
import dev.sluice.updater.state.JournalStep;
import dev.sluice.updater.state.JournalStore;
import dev.sluice.updater.state.StateException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a change as a journaled state machine: the intent is recorded before the working tree is
 * touched and every step after it, so a run that dies anywhere leaves a journal the next run
 * finishes (when the new commit had passed its health check) or undoes (otherwise).
 *
 * <p>A change is: save local work, check out and verify, run the post-update hook, restart the
 * software if it is running, check its health. Any failure puts the previous commit back, runs the
 * hook for it, checks its health, and remembers the failed commit and why.
 *
 * <p>It is one class because the journal is: applying, rolling back and recovering write the same
 * journal entry through the same steps, and recovery must undo exactly what an apply of this class
 * may have left. Split apart, the two sides of that contract would live in different files.
 */
public final class Applier {

  private static final Logger LOG = LoggerFactory.getLogger(Applier.class);
  private static final DateTimeFormatter STAMP = Show.COMPACT_TIME;

  private final Workdir workdir;
  private final JournalStore journal;
  private final FailedCommitStore failures;
  private final ApplySettings settings;
  private final ProcessRunner runner;
  private final Clock clock;
  private final ApplyListener listener;
  private final ProgressMonitor checkoutProgress;

  public Applier(
      Workdir workdir,
      JournalStore journal,
      FailedCommitStore failures,
      ApplySettings settings,
      ProcessRunner runner,
      Clock clock,
      ApplyListener listener,
      ProgressMonitor checkoutProgress) {
    this.workdir = workdir;
    this.journal = journal;
    this.failures = failures;
    this.settings = settings;
    this.runner = runner;
    this.clock = clock;
    this.listener = listener;
    this.checkoutProgress = checkoutProgress;
  }

  /** Moves the node from {@code from} (empty on a first install) to {@code to}. */
  public ApplyOutcome apply(
      String channel, String targetRef, Optional<ObjectId> from, ObjectId to) {
    HookLogs.prune(settings.logDir());
    Optional<String> hostile = workdir.unsafePath(to);
    if (hostile.isPresent()) {
      String why =
          "commit "
              + abbreviate(to)
              + " is refused: its tree holds the path '"
              + hostile.get()
              + "', which git must never check out";
      LOG.error(why);
      recordFailure(to, why);
      return new ApplyOutcome(
          ApplyOutcome.Result.REFUSED, from.orElse(null), Optional.empty(), why, "unsafe-tree");
    }
    JournalStore.Entry entry =
        journal.begin(
            channel, targetRef, from.map(ObjectId::name).orElse(null), to.name(), clock.instant());
    listener.reached(JournalStep.INTENT);
    Optional<SavedChanges> saved = Optional.empty();
    try {
      if (from.isPresent()) {
        saved = workdir.saveLocalChanges(clock.instant(), "moving to " + to.name());
      }
      entry = step(entry, JournalStep.SAVED, saved.map(SavedChanges::ref).orElse(null));
      saved.ifPresent(workdir::clearSavedUntracked);
      if (saved.isPresent() && from.isPresent()) {
        saved =
            Optional.of(
                saved
                    .get()
                    .withConflicts(workdir.changedBetween(from.get(), to, saved.get().paths())));
      }

      workdir.checkout(to, checkoutProgress, saved.isPresent()); // saved files are reset too
      workdir.verify(to, clock.instant());
      entry = step(entry, JournalStep.CHECKED_OUT, null);

      Map<String, String> env = environment(channel, from.orElse(null), to, "update");
      runHooks(entry, env, "update");
      Optional<String> unhealthy =
          settings.healthCheck().isPresent()
              ? new HealthChecker(settings, runner).check(workdir.dir(), env, logBase("health"))
              : Optional.empty();
      if (unhealthy.isPresent()) {
        throw new StepFailure("health-check-failed", unhealthy.get());
      }
      entry = step(entry, JournalStep.HEALTHY, null);
      step(entry, JournalStep.DONE, null);
      return new ApplyOutcome(ApplyOutcome.Result.APPLIED, to, saved, "applied " + to.name(), null);
    } catch (StepFailure failure) {
      return rollBack(entry, channel, from, to, failure.code, failure.getMessage(), saved, true);
    } catch (StateException failure) {
      return rollBack(
          entry,
          channel,
          from,
          to,
          "state-unwritable",
          "the state file cannot be written: " + failure.getMessage(),
          saved,
          false);
    } catch (GitException failure) {
      boolean disk = DiskFull.causes(failure);
      return rollBack(
          entry,
          channel,
          from,
          to,
          disk ? "disk-full" : "checkout-failed",
          disk ? "the disk is full: " + failure.getMessage() : failure.getMessage(),
          saved,
          !disk);
    }
  }

  /**
   * Finishes or undoes a change that a dead run left half done. Empty when the journal is at rest.
   */
  public Optional<ApplyOutcome> recover() {
    Optional<JournalStore.Entry> unfinished = journal.unfinished();
    if (unfinished.isEmpty()) {
      return Optional.empty();
    }
    JournalStore.Entry entry = unfinished.get();
    ObjectId to = ObjectId.fromString(entry.toCommit());
    Optional<ObjectId> from = Optional.ofNullable(entry.fromCommit()).map(ObjectId::fromString);
    LOG.warn(
        "journal {}: a previous run stopped at {} while moving {} from {} to {}; recovering",
        entry.id(),
        entry.step(),
        entry.channel(),
        entry.fromCommit(),
        entry.toCommit());
    Optional<String> savedRef = journal.savedRef(entry.id());
    String interrupted =
        "a run was interrupted at "
            + entry.step()
            + " while moving to "
            + abbreviate(to)
            + savedRef.map(ref -> "; its local changes are saved in " + ref).orElse("");
    Optional<SavedChanges> saved = savedRef.flatMap(workdir::savedAt);

    if (entry.step() == JournalStep.HEALTHY) {
      try {
        if (!workdir.head().equals(Optional.of(to))) {
          workdir.checkout(to, checkoutProgress, true);
        }
        workdir.verify(to, clock.instant());
        step(
            entry,
            JournalStep.DONE,
            "recovered: rolled forward, the new commit had passed its health check");
        return Optional.of(
            new ApplyOutcome(
                ApplyOutcome.Result.APPLIED,
                to,
                Optional.empty(),
                interrupted + " after its health check passed; finished it",
                null));
      } catch (GitException e) {
        return Optional.of(
            rollBack(
                entry,
                entry.channel(),
                from,
                to,
                "interrupted",
                interrupted + "; finishing failed: " + e.getMessage(),
                saved,
                false));
      }
    }
    if (entry.step() == JournalStep.INTENT) {
      // Nothing was checked out yet, and saving touches nothing in the tree: local work is still
      // there (and, if the save had finished, also under the saved ref named above).
      step(
          entry,
          from.isPresent() ? JournalStep.RESTORED : JournalStep.ABANDONED,
          "recovered: interrupted before any checkout");
      return Optional.of(
          new ApplyOutcome(
              ApplyOutcome.Result.NOTHING_TO_UNDO,
              from.orElse(null),
              saved,
              interrupted + " before anything was checked out",
              null));
    }
    if (from.isEmpty()) {
      workdir.removeCheckoutTempFiles(to);
      if (workdir.head().isEmpty()) { // the checkout had begun but not finished
        workdir.removeWritten(to);
      }
      step(entry, JournalStep.ABANDONED, "first install interrupted; installing again");
      return Optional.of(
          new ApplyOutcome(
              ApplyOutcome.Result.NOTHING_TO_UNDO,
              null,
              Optional.empty(),
              interrupted + " during the first install; installing again",
              null));
    }
    // An interrupted run is not a failed release: only a run that died while the new commit's
    // software was running (after its hook) may have been killed by it, and counts.
    boolean newSoftwareRan =
        entry.step() == JournalStep.HOOK_DONE || entry.step() == JournalStep.RESTARTED;
    return Optional.of(
        restore(
            entry,
            entry.channel(),
            from.get(),
            to,
            "interrupted",
            interrupted,
            newSoftwareRan,
            saved));
  }

  private ApplyOutcome rollBack(
      JournalStore.Entry entry,
      String channel,
      Optional<ObjectId> from,
      ObjectId to,
      String code,
      String reason,
      Optional<SavedChanges> saved,
      boolean countFailure) {
    LOG.warn("update to {} failed: {}", to.name(), reason);
    if (from.isEmpty()) {
      removeTempFiles(to);
      step(entry, JournalStep.ABANDONED, "first install failed: " + reason);
      if (countFailure) {
        recordFailure(to, reason);
      }
      return new ApplyOutcome(
          ApplyOutcome.Result.BROKEN,
          workdir.head().orElse(null),
          saved,
          "first install of "
              + abbreviate(to)
              + " failed ("
              + reason
              + "); there is no previous commit to go back to",
          code);
    }
    return restore(
        entry,
        channel,
        from.get(),
        to,
        code,
        "update to " + abbreviate(to) + " failed (" + reason + ")",
        countFailure,
        saved);
  }

  private ApplyOutcome restore(
      JournalStore.Entry entry,
      String channel,
      ObjectId from,
      ObjectId to,
      String code,
      String why,
      boolean countFailure,
      Optional<SavedChanges> saved) {
    entry = step(entry, JournalStep.RESTORING, why);
    try {
      workdir.clearStaleLocks();
      removeTempFiles(to); // a full disk leaves them behind, and they keep it full
      workdir.checkout(from, checkoutProgress, true);
      workdir.removeLeftovers(from, to);
      workdir.verify(from, clock.instant());
      Map<String, String> env = environment(channel, to, from, "restore");
      runHooks(entry, env, "restore");
      Optional<String> unhealthy =
          settings.healthCheck().isPresent()
              ? new HealthChecker(settings, runner)
                  .check(workdir.dir(), env, logBase("restore-health"))
              : Optional.empty();
      if (unhealthy.isPresent()) {
        throw new StepFailure(
            "restore-unhealthy",
            "restored " + abbreviate(from) + " but it is unhealthy too: " + unhealthy.get());
      }
      step(entry, JournalStep.RESTORED, null);
      LOG.warn("restored {} after the failed update to {}", from.name(), to.name());
      if (countFailure) {
        recordFailure(to, why);
      }
      return new ApplyOutcome(
          ApplyOutcome.Result.ROLLED_BACK,
          from,
          saved,
          why + "; restored " + abbreviate(from),
          code);
    } catch (RuntimeException e) {
      // Not only StepFailure and GitException: whatever stops a restore, the run still records
      // it, reports it and leaves the next run to try again.
      String failure = e.getMessage() == null ? e.toString() : e.getMessage();
      removeTempFiles(to);
      step(entry, JournalStep.RESTORE_FAILED, failure);
      if (countFailure) {
        recordFailure(to, why);
      }
      LOG.error("restoring {} failed: {}", from.name(), failure);
      return new ApplyOutcome(
          ApplyOutcome.Result.BROKEN,
          safeHead(),
          saved,
          why
              + " and restoring "
              + abbreviate(from)
              + " failed too ("
              + failure
              + "); the next run tries again, or a person must look",
          "restore-failed");
    }
  }

  private void runHooks(JournalStore.Entry entry, Map<String, String> env, String phase) {
    if (settings.postUpdate().isPresent()) {
      HookCommand hook = settings.postUpdate().get();
      ProcessOutcome outcome =
          runner.run(
              hook.argv(),
              workdir.dir(),
              env,
              settings.postUpdateTimeout(),
              logFile(phase + "-post-update"));
      if (!outcome.succeeded()) {
        throw new StepFailure(
            "post-update-failed", "post-update hook '" + hook + "' " + outcome.describe());
      }
    }
    if (phase.equals("update")) {
      entry = step(entry, JournalStep.HOOK_DONE, null);
    }
    if (settings.restart().isPresent() && !settings.boot()) {
      HookCommand restart = settings.restart().get();
      ProcessOutcome outcome =
          runner.run(
              restart.argv(),
              workdir.dir(),
              env,
              settings.postUpdateTimeout(),
              logFile(phase + "-restart"));
      if (!outcome.succeeded()) {
        throw new StepFailure(
            "restart-failed", "restart command '" + restart + "' " + outcome.describe());
      }
      if (phase.equals("update")) {
        step(entry, JournalStep.RESTARTED, null);
      }
    }
  }

  /**
   * Moves the journal on. While undoing (a full disk is the usual reason to be here), a journal
   * that cannot be written does not stop the restore: the next run finds the older step and repeats
   * the restore, which is idempotent.
   */
  private JournalStore.Entry step(JournalStore.Entry entry, JournalStep step, String detail) {
    JournalStore.Entry next;
    try {
      next = journal.step(entry, step, detail, clock.instant());
    } catch (StateException e) {
      if (!step.isUndoing()) {
        throw e;
      }
      LOG.error(
          "cannot write journal step {} ({}); going on with the restore", step, e.getMessage());
      next = entry;
    }
    listener.reached(step);
    return next;
  }

  /** Remembers a failed commit; a state file that cannot be written only loses the count. */
  private void recordFailure(ObjectId commit, String why) {
    try {
      failures.recordFailure(commit.name(), why, clock.instant());
    } catch (StateException e) {
      LOG.error("cannot remember that {} failed: {}", commit.name(), e.getMessage());
    }
  }

  private void removeTempFiles(ObjectId to) {
    try {
      workdir.removeCheckoutTempFiles(to);
    } catch (GitException e) {
      LOG.error("{}", e.getMessage());
    }
  }

  private Map<String, String> environment(
      String channel, ObjectId from, ObjectId to, String phase) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SLUICE_FROM", from == null ? "" : from.name());
    env.put("SLUICE_TO", to.name());
    env.put("SLUICE_CHANNEL", channel);
    env.put("SLUICE_PHASE", phase);
    env.put("SLUICE_WORKDIR", workdir.dir().toAbsolutePath().toString());
    return env;
  }

  private Path logFile(String what) {
    return logBase(what).resolveSibling(logBase(what).getFileName() + ".log");
  }

  /** {@code <logDir>/<time>-<what>}: the stem of a hook's log file name. */
  private Path logBase(String what) {
    return settings.logDir().resolve(STAMP.format(clock.instant()) + "-" + what);
  }

  private ObjectId safeHead() {
    try {
      return workdir.head().orElse(null);
    } catch (GitException e) {
      return null;
    }
  }

  private static String abbreviate(ObjectId id) {
    return Show.commit(id);
  }

  /** A step that failed, with a stable code for scripts. */
  private static final class StepFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String code;

    StepFailure(String code, String message) {
      super(message);
      this.code = code;
    }
  }
}
