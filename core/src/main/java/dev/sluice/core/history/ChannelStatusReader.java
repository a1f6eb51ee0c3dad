package dev.sluice.core.history;

import com.github.zafarkhaja.semver.Version;
import dev.sluice.core.channel.Channel;
import dev.sluice.core.channel.ChannelSpec;
import dev.sluice.core.git.GitException;
import dev.sluice.core.git.RemoteCache;
import dev.sluice.core.promotion.BranchState;
import dev.sluice.core.promotion.ChannelState;
import dev.sluice.core.promotion.Release;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;

/**
 * Reads the channels' state from git: branch tips, release tags with their times (an annotated
 * tag's tagger time is the soak start; a lightweight tag falls back to its commit's time), the
 * promotion candidate, and how preprod and master relate. A channel's release is the newest
 * matching tag reachable from its branch, never a newer tag that only exists elsewhere; the
 * candidate is the newest preprod tag anywhere (the promotion gates judge it).
 */
public final class ChannelStatusReader {

  private final ChannelSpec stable;
  private final ChannelSpec preprod;

  public ChannelStatusReader(ChannelSpec stable, ChannelSpec preprod) {
    this.stable = Objects.requireNonNull(stable, "stable");
    this.preprod = Objects.requireNonNull(preprod, "preprod");
  }

  /** The stable channel's branch and tag pattern. */
  public ChannelSpec stable() {
    return stable;
  }

  /**
   * A reader for the built-in layout: {@code master}/{@code v*}, {@code preprod}/{@code v*_pre}.
   */
  public static ChannelStatusReader withDefaultChannels() {
    return new ChannelStatusReader(
        ChannelSpec.defaultFor(Channel.STABLE), ChannelSpec.defaultFor(Channel.PREPROD));
  }

  /**
   * Fetches the remote into a cache directory (created when missing) and reads the state.
   *
   * @param credentials for https remotes, or null
   * @throws GitException naming the remote when it cannot be fetched
   */
  public ChannelState fetch(String remote, Path cacheDir, CredentialsProvider credentials) {
    try (RemoteCache cache = RemoteCache.open(cacheDir, remote, credentials)) {
      cache.fetch();
      return read(cache.repository(), remote);
    }
  }

  /** Reads the state from a local repository holding the remote's branches and tags. */
  public ChannelState read(Repository repo, String remote) {
    try (RevWalk walk = new RevWalk(repo)) {
      List<Release> preprodReleases = new ArrayList<>();
      List<Release> stableReleases = new ArrayList<>();
      for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
        String name = ref.getName().substring(Constants.R_TAGS.length());
        Optional<Version> pre = preprod.tagPattern().versionOf(name);
        Optional<Version> stab = stable.tagPattern().versionOf(name);
        if (pre.isPresent()) {
          release(walk, ref, name, Channel.PREPROD, pre.get()).ifPresent(preprodReleases::add);
        } else if (stab.isPresent()) {
          release(walk, ref, name, Channel.STABLE, stab.get()).ifPresent(stableReleases::add);
        }
      }
      Comparator<Release> byVersion =
          Comparator.comparing(Release::semver, Version::compareTo).thenComparing(Release::tag);
      Release candidate = preprodReleases.stream().max(byVersion).orElse(null);
      Release promotion =
          candidate == null
              ? null
              : stableReleases.stream()
                  .filter(r -> r.semver().equals(candidate.semver()))
                  .findFirst()
                  .orElse(null);

      ObjectId master = tip(repo, stable);
      ObjectId pre = tip(repo, preprod);
      int ahead = master != null && pre != null ? count(walk, pre, master) : 0;
      int behind = master != null && pre != null ? count(walk, master, pre) : 0;
      boolean ancestor =
          candidate == null
              || master == null
              || isAncestor(walk, master, ObjectId.fromString(candidate.commit()));

      List<Release> all = new ArrayList<>(preprodReleases);
      all.addAll(stableReleases);
      all.sort(Release.NEWEST_FIRST);
      return new ChannelState(
          remote,
          branch(walk, Channel.STABLE, stable, master, stableReleases),
          branch(walk, Channel.PREPROD, preprod, pre, preprodReleases),
          candidate,
          promotion,
          ahead,
          behind,
          ancestor,
          all);
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.CORRUPT,
          "cannot read branches and tags of " + remote + " from " + repo.getDirectory(),
          e);
    }
  }

  /**
   * The branch with its newest release tag by version among those reachable from its tip, and how
   * many commits the tip is past it.
   */
  private static BranchState branch(
      RevWalk walk, Channel channel, ChannelSpec spec, ObjectId tip, List<Release> releases)
      throws IOException {
    if (tip == null) {
      return new BranchState(channel.id(), spec.branch(), null, null, 0);
    }
    Release newest = newestReachable(walk, tip, releases).orElse(null);
    int since = newest == null ? 0 : count(walk, tip, ObjectId.fromString(newest.commit()));
    return new BranchState(channel.id(), spec.branch(), tip.name(), newest, since);
  }

  /** The newest release by version whose commit is the tip or one of its ancestors. */
  static Optional<Release> newestReachable(RevWalk walk, ObjectId tip, List<Release> releases)
      throws IOException {
    Map<ObjectId, List<Release>> byCommit = new HashMap<>();
    for (Release release : releases) {
      byCommit
          .computeIfAbsent(ObjectId.fromString(release.commit()), c -> new ArrayList<>())
          .add(release);
    }
    List<Release> reachable = new ArrayList<>();
    walk.reset();
    walk.markStart(walk.parseCommit(tip));
    int left = byCommit.size();
    for (RevCommit commit = walk.next(); commit != null && left > 0; commit = walk.next()) {
      List<Release> here = byCommit.get(commit);
      if (here != null) {
        reachable.addAll(here);
        left--;
      }
    }
    walk.reset();
    return reachable.stream()
        .max(Comparator.comparing(Release::semver, Version::compareTo).thenComparing(Release::tag));
  }

  private static Optional<Release> release(
      RevWalk walk, Ref ref, String name, Channel channel, Version version) throws IOException {
    RevObject object = walk.parseAny(ref.getObjectId());
    RevObject peeled = walk.peel(object);
    if (!(peeled instanceof RevCommit commit)) {
      return Optional.empty();
    }
    walk.parseHeaders(commit);
    if (object instanceof RevTag tag) {
      PersonIdent tagger = tag.getTaggerIdent();
      PersonIdent when = tagger != null ? tagger : commit.getCommitterIdent();
      return Optional.of(
          new Release(
              channel.id(),
              name,
              version.toString(),
              commit.name(),
              when.getWhenAsInstant(),
              true,
              tagger == null ? null : tagger.getName() + " <" + tagger.getEmailAddress() + ">",
              tag.getFullMessage()));
    }
    return Optional.of(
        new Release(
            channel.id(),
            name,
            version.toString(),
            commit.name(),
            commit.getCommitterIdent().getWhenAsInstant(),
            false,
            null,
            ""));
  }

  private static ObjectId tip(Repository repo, ChannelSpec spec) throws IOException {
    Ref ref = repo.exactRef(spec.branchRef());
    return ref == null ? null : ref.getObjectId();
  }

  /** Commits reachable from {@code from} that {@code not} does not reach. */
  static int count(RevWalk walk, ObjectId from, ObjectId not) throws IOException {
    walk.reset();
    walk.markStart(walk.parseCommit(from));
    walk.markUninteresting(walk.parseCommit(not));
    int n = 0;
    for (RevCommit ignored : walk) {
      n++;
    }
    walk.reset();
    return n;
  }

  static boolean isAncestor(RevWalk walk, ObjectId ancestor, ObjectId of) throws IOException {
    walk.reset();
    boolean merged = walk.isMergedInto(walk.parseCommit(ancestor), walk.parseCommit(of));
    walk.reset();
    return merged;
  }
}
