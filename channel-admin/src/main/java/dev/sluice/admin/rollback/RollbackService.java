package dev.sluice.admin.rollback;

import dev.sluice.admin.AdminException;
import dev.sluice.admin.git.AtomicPush;
import dev.sluice.admin.git.Operator;
import dev.sluice.admin.git.PushHook;
import dev.sluice.admin.git.RefChange;
import dev.sluice.admin.git.RemoteAccess;
import dev.sluice.admin.git.Tags;
import dev.sluice.admin.policy.PolicyCommit;
import dev.sluice.admin.policy.PolicySnapshot;
import dev.sluice.core.channel.Channel;
import dev.sluice.core.channel.ChannelSpec;
import dev.sluice.core.git.GitException;
import dev.sluice.core.git.RemoteCache;
import dev.sluice.core.history.RepositoryGitFacts;
import dev.sluice.core.policy.Deadend;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyParser;
import dev.sluice.core.policy.PolicyWriter;
import dev.sluice.core.promotion.RollbackRecord;
import dev.sluice.core.rollout.GitFacts;
import dev.sluice.core.version.ReleaseTag;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls a channel back to an earlier release of that channel: its branch moves back to the release
 * tag's commit, the release it leaves becomes a dead-end in the rollout policy (one commit on
 * {@code rollout-policy}), and an annotated tag records the event. Branch, policy and tag go up in
 * one atomic push, each guarded by the id we read, so a concurrent change makes the whole rollback
 * fail with nothing changed.
 *
 * <p>The target must be a release tag of the channel (its tag pattern) whose commit is a proper
 * ancestor of the branch tip, older than the release being left, and not itself a dead-end. Without
 * {@code --to} it is the newest such release ({@link RollbackTarget} chooses and checks it).
 */
public final class RollbackService {

  private static final Logger LOG = LoggerFactory.getLogger(RollbackService.class);

  private final Clock clock;
  private final Supplier<Operator> operator;
  private final PushHook hook;

  public RollbackService(Clock clock, Supplier<Operator> operator, PushHook hook) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.operator = Objects.requireNonNull(operator, "operator");
    this.hook = Objects.requireNonNull(hook, "hook");
  }

  /**
   * Decides and, unless it is a dry run, pushes the rollback.
   *
   * @throws AdminException.Usage when {@code --to} is not a version or names no tag on the remote
   * @throws AdminException.Refused listing every reason the target is not an earlier release
   * @throws AdminException.PushRejected when the remote moved since our fetch (nothing changed)
   * @throws dev.sluice.core.policy.PolicyValidationException when the remote's policy is invalid
   */
  public RollbackResult rollback(RemoteAccess access, RollbackRequest request) {
    String remote = access.remote();
    Channel channel = request.channel();
    try (RemoteCache cache = access.openFetched()) {
      Repository repo = cache.repository();
      PolicySnapshot snapshot = PolicySnapshot.read(repo, remote);
      Policy policy = snapshot.require();
      ChannelSpec spec = policy.spec(channel);
      GitFacts git = new RepositoryGitFacts(repo);
      Ref branchRef = repo.exactRef(spec.branchRef());
      if (branchRef == null || branchRef.getObjectId() == null) {
        throw new AdminException.Usage(
            "remote " + remote + " has no branch '" + spec.branch() + "' for channel " + channel);
      }
      ObjectId tip = branchRef.getObjectId();
      List<ReleaseTag> releases = RollbackTarget.releases(repo, spec);
      Set<ObjectId> reachable = RollbackTarget.reachable(repo, tip, releases);
      Optional<ReleaseTag> current =
          releases.stream().filter(r -> r.commit().equals(tip)).max(ReleaseTag.BY_VERSION);
      String from = current.map(ReleaseTag::name).orElse(tip.name());
      Optional<Deadend> existing =
          RollbackTarget.deadendFor(policy, git, tip, current.orElse(null));
      ReleaseTag target =
          request.to() == null
              ? RollbackTarget.previous(
                  releases, reachable, tip, current.orElse(null), policy, git, spec, channel)
              : RollbackTarget.named(
                  request.to(), repo, spec, channel, policy, git, tip, reachable, current);

      Instant now = clock.instant();
      String tagName = RollbackRecord.tagName(channel.id(), now);
      if (repo.exactRef(Constants.R_TAGS + tagName) != null) {
        throw new AdminException.Refused(
            "rollback of " + channel + " refused",
            List.of("tag " + tagName + " already exists: one rollback per channel per second"));
      }
      String deadendRef = existing.map(Deadend::ref).orElse(from);
      RollbackRecord record =
          new RollbackRecord(
              channel.id(),
              spec.branch(),
              from,
              tip.name(),
              target.name(),
              target.commit().name(),
              deadendRef,
              request.reason());
      String previousPolicy = snapshot.commit() == null ? null : snapshot.commit().name();
      String what =
          spec.branch()
              + " "
              + describe(from, tip)
              + " -> "
              + target.name()
              + " ("
              + target.commit().abbreviate(8).name()
              + ")";
      String deadendText =
          existing.isPresent()
              ? from + " already is a dead-end (" + existing.get().reason() + ")"
              : from + " is now a dead-end";
      if (request.dryRun()) {
        return new RollbackResult(
            remote,
            RollbackResult.Outcome.WOULD_ROLL_BACK,
            channel.id(),
            spec.branch(),
            from,
            tip.name(),
            target.name(),
            target.commit().name(),
            deadendRef,
            existing.isEmpty(),
            request.reason(),
            tagName,
            previousPolicy,
            null,
            null,
            "would roll back "
                + channel
                + ": "
                + what
                + "; "
                + (existing.isPresent() ? deadendText : from + " would become a dead-end")
                + " (dry run, nothing pushed)");
      }

      Operator who = operator.get();
      PersonIdent ident = who.at(now);
      List<RefChange> changes = new ArrayList<>();
      changes.add(RefChange.move(spec.branchRef(), tip.name(), target.commit(), true));
      ObjectId policyCommit = null;
      if (existing.isEmpty()) {
        Policy edited = policy.withDeadend(new Deadend(from, request.reason()));
        String text = PolicyWriter.write(edited);
        PolicyParser.parse(text, Policy.FILE + " to be pushed");
        String subject = "dead-end " + from + ": " + request.reason();
        String message =
            subject
                + "\n\nRollback: "
                + channel
                + " "
                + spec.branch()
                + " "
                + from
                + " -> "
                + target.name()
                + "\nCommit: "
                + tip.name()
                + "\nTag: "
                + tagName
                + "\n";
        policyCommit =
            PolicyCommit.write(repo, snapshot.commit(), text, ident, who.signing(), message);
        changes.add(
            RefChange.move(Constants.R_HEADS + Policy.BRANCH, previousPolicy, policyCommit, false));
      }
      ObjectId tagId =
          Tags.annotated(repo, tagName, tip, ident, who.signing(), record.tagMessage());
      changes.add(RefChange.create(Constants.R_TAGS + tagName, tagId));
      hook.beforePush(changes);
      AtomicPush.push(cache, changes);
      LOG.info(
          "rollback pushed: {} of {} from {} to {} at {}, dead-end {}: {}",
          channel,
          remote,
          from,
          target.name(),
          target.commit().name(),
          deadendRef,
          request.reason());
      return new RollbackResult(
          remote,
          RollbackResult.Outcome.ROLLED_BACK,
          channel.id(),
          spec.branch(),
          from,
          tip.name(),
          target.name(),
          target.commit().name(),
          deadendRef,
          existing.isEmpty(),
          request.reason(),
          tagName,
          previousPolicy,
          policyCommit == null ? null : policyCommit.name(),
          who.toString(),
          "rolled back " + channel + ": " + what + "; " + deadendText + "; tagged " + tagName);
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.CORRUPT,
          "cannot read the cache of " + remote + " in " + access.cacheDir(),
          e);
    }
  }

  private static String describe(String from, ObjectId tip) {
    return from.equals(tip.name())
        ? tip.abbreviate(8).name()
        : from + " (" + tip.abbreviate(8).name() + ")";
  }
}
