package dev.sluice.admin.rollback;

import com.github.zafarkhaja.semver.Version;
import dev.sluice.admin.AdminException;
import dev.sluice.admin.release.Versions;
import dev.sluice.core.channel.Channel;
import dev.sluice.core.channel.ChannelSpec;
import dev.sluice.core.policy.Deadend;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.rollout.GitFacts;
import dev.sluice.core.version.ReleaseTag;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Which release a rollback goes back to: the newest earlier release of the channel, or the one
 * {@code --to} names, checked to be a release tag of the channel that is a proper ancestor of the
 * branch tip, older than the release being left, and not a dead-end. Every reason a target is
 * refused is listed at once. Reads the fetched repository; writes nothing.
 */
final class RollbackTarget {

  private RollbackTarget() {}

  /** The newest release of the channel below the current one, reachable and not a dead-end. */
  static ReleaseTag previous(
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
  static ReleaseTag named(
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
  static Optional<Deadend> deadendFor(
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
  static List<ReleaseTag> releases(Repository repo, ChannelSpec spec) throws IOException {
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
  static Set<ObjectId> reachable(Repository repo, ObjectId tip, List<ReleaseTag> releases)
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

  static ObjectId peel(Repository repo, ObjectId id, String name) throws IOException {
    try (RevWalk walk = new RevWalk(repo)) {
      RevObject peeled = walk.peel(walk.parseAny(id));
      if (!(peeled instanceof RevCommit commit)) {
        throw new AdminException.Usage("tag " + name + " does not mark a commit");
      }
      return commit.copy();
    }
  }
}
