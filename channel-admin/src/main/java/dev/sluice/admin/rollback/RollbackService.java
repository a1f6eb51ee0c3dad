package dev.sluice.admin.rollback;

import com.github.zafarkhaja.semver.Version;
import dev.sluice.admin.AdminException;
import dev.sluice.admin.git.AtomicPush;
import dev.sluice.admin.git.Operator;
import dev.sluice.admin.git.PushHook;
import dev.sluice.admin.git.RefChange;
import dev.sluice.admin.git.RemoteAccess;
import dev.sluice.admin.git.Tags;
import dev.sluice.admin.policy.PolicyCommit;
import dev.sluice.admin.policy.PolicySnapshot;
import dev.sluice.admin.release.Versions;
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
import java.util.HashSet;
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
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;
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
 * {@code --to} it is the newest such release.
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
      List<ReleaseTag> releases = releases(repo, spec);
      Set<ObjectId> reachable = reachable(repo, tip, releases);
      Optional<ReleaseTag> current =
          releases.stream().filter(r -> r.commit().equals(tip)).max(ReleaseTag.BY_VERSION);
      String from = current.map(ReleaseTag::name).orElse(tip.name());
      Optional<Deadend> existing = deadendFor(policy, git, tip, current.orElse(null));
      ReleaseTag target =
          request.to() == null
              ? previous(releases, reachable, tip, current.orElse(null), policy, git, spec, channel)
              : named(request.to(), repo, spec, channel, policy, git, tip, reachable, current);

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

  /** The newest release of the channel below the current one, reachable and not a dead-end. */
  private static ReleaseTag previous(
      List<ReleaseTag> releases,
      Set<ObjectId> reachable,
      ObjectId tip,
      ReleaseTag current,
      Policy policy,
      GitFacts git,
      ChannelSpec spec,
      Channel channel) {
    List<String> skipped = new ArrayList<>();
    Optional<ReleaseTag> found =
        releases.stream()
            .filter(r -> reachable.contains(r.commit()) && !r.commit().equals(tip))
            .filter(r -> current == null || r.version().compareTo(current.version()) < 0)
            .filter(
                r -> {
                  Optional<Deadend> deadend = deadendFor(policy, git, r.commit(), r);
                  deadend.ifPresent(d -> skipped.add(r.name() + " is a dead-end: " + d.reason()));
                  return deadend.isEmpty();
                })
            .max(ReleaseTag.BY_VERSION);
    if (found.isPresent()) {
      return found.get();
    }
    List<String> reasons = new ArrayList<>();
    reasons.add(
        "there is no earlier "
            + channel
            + " release ("
            + spec.tagPattern()
            + ") on "
            + spec.branch()
            + " below "
            + (current == null ? tip.abbreviate(8).name() : current.name())
            + " to go back to");
    reasons.addAll(skipped);
    throw new AdminException.Refused("rollback of " + channel + " refused", reasons);
  }

  /** The release named by {@code --to}, checked to be an earlier release of the channel. */
  private static ReleaseTag named(
      String to,
      Repository repo,
      ChannelSpec spec,
      Channel channel,
      Policy policy,
      GitFacts git,
      ObjectId tip,
      Set<ObjectId> reachable,
      Optional<ReleaseTag> current)
      throws IOException {
    if (to.length() > Versions.MAX_LENGTH + 16) {
      throw new AdminException.Usage(
          "--to is " + to.length() + " characters long; expected a release such as v5.1.0");
    }
    String name;
    Optional<Version> version = spec.tagPattern().versionOf(to);
    String bare = to.startsWith("v") ? to.substring(1) : to;
    if (version.isPresent()) {
      name = to;
    } else if (Version.tryParse(bare, true).isPresent()) {
      version = Version.tryParse(bare, true);
      name = spec.tagPattern().tagFor(version.get());
    } else if (repo.exactRef(Constants.R_TAGS + to) != null) {
      throw new AdminException.Refused(
          "rollback of " + channel + " refused",
          List.of(
              to
                  + " is not a "
                  + channel
                  + " release tag (pattern "
                  + spec.tagPattern()
                  + "): a channel goes back only to one of its own releases"));
    } else {
      throw new AdminException.Usage(
          "--to '"
              + to
              + "' is neither a version (5.1.0) nor a "
              + channel
              + " release tag ("
              + spec.tagPattern().tagFor(Version.of(5, 1, 0))
              + ")");
    }
    Ref ref = repo.exactRef(Constants.R_TAGS + name);
    if (ref == null) {
      throw new AdminException.Usage("--to " + to + ": there is no tag " + name + " on the remote");
    }
    ObjectId commit = peel(repo, ref.getObjectId(), name);
    ReleaseTag target = new ReleaseTag(name, version.get(), commit);
    List<String> reasons = new ArrayList<>();
    if (commit.equals(tip)) {
      reasons.add(spec.branch() + " already is at " + name + ": nothing to go back from");
    } else if (!reachable.contains(commit)) {
      reasons.add(
          name
              + " ("
              + commit.abbreviate(8).name()
              + ") is not an ancestor of "
              + spec.branch()
              + " ("
              + tip.abbreviate(8).name()
              + "): not an earlier release of "
              + channel);
    }
    if (current.isPresent() && version.get().compareTo(current.get().version()) >= 0) {
      reasons.add(
          name
              + " is not older than "
              + current.get().name()
              + ", which "
              + spec.branch()
              + " runs");
    }
    deadendFor(policy, git, commit, target)
        .ifPresent(d -> reasons.add(name + " is a dead-end: " + d.reason()));
    if (!reasons.isEmpty()) {
      throw new AdminException.Refused(
          "rollback of " + channel + " to " + name + " refused", reasons);
    }
    return target;
  }

  /** The policy's dead-end for a commit: one resolving to it, or naming its release tag. */
  private static Optional<Deadend> deadendFor(
      Policy policy, GitFacts git, ObjectId commit, ReleaseTag release) {
    for (Deadend deadend : policy.deadends()) {
      String ref = deadend.ref();
      String name =
          ref.startsWith(Constants.R_TAGS) ? ref.substring(Constants.R_TAGS.length()) : ref;
      if ((release != null && name.equals(release.name()))
          || git.resolve(ref).map(commit::equals).orElse(false)) {
        return Optional.of(deadend);
      }
    }
    return Optional.empty();
  }

  /** Every tag of the channel's pattern, peeled to its commit, oldest version first. */
  private static List<ReleaseTag> releases(Repository repo, ChannelSpec spec) throws IOException {
    List<ReleaseTag> releases = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repo)) {
      for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
        String name = ref.getName().substring(Constants.R_TAGS.length());
        Optional<Version> version = spec.tagPattern().versionOf(name);
        if (version.isEmpty()) {
          continue;
        }
        RevObject peeled = walk.peel(walk.parseAny(ref.getObjectId()));
        if (peeled instanceof RevCommit commit) {
          releases.add(new ReleaseTag(name, version.get(), commit.copy()));
        }
      }
    }
    releases.sort(ReleaseTag.BY_VERSION);
    return releases;
  }

  /** The release commits reachable from the tip (the tip included). */
  private static Set<ObjectId> reachable(Repository repo, ObjectId tip, List<ReleaseTag> releases)
      throws IOException {
    Set<ObjectId> wanted = new HashSet<>();
    releases.forEach(r -> wanted.add(r.commit()));
    Set<ObjectId> found = new HashSet<>();
    try (RevWalk walk = new RevWalk(repo)) {
      walk.markStart(walk.parseCommit(tip));
      for (RevCommit commit = walk.next();
          commit != null && found.size() < wanted.size();
          commit = walk.next()) {
        if (wanted.contains(commit)) {
          found.add(commit.copy());
        }
      }
    }
    return found;
  }

  private static ObjectId peel(Repository repo, ObjectId id, String name) throws IOException {
    try (RevWalk walk = new RevWalk(repo)) {
      RevObject peeled = walk.peel(walk.parseAny(id));
      if (!(peeled instanceof RevCommit commit)) {
        throw new AdminException.Usage("tag " + name + " does not mark a commit");
      }
      return commit.copy();
    }
  }

  private static String describe(String from, ObjectId tip) {
    return from.equals(tip.name())
        ? tip.abbreviate(8).name()
        : from + " (" + tip.abbreviate(8).name() + ")";
  }
}
