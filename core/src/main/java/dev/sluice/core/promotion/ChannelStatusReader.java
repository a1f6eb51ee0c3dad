package dev.sluice.core.promotion;

import com.github.zafarkhaja.semver.Version;
import dev.sluice.core.channel.Channel;
import dev.sluice.core.channel.ChannelSpec;
import dev.sluice.core.git.GitException;
import dev.sluice.core.git.RemoteCache;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 * promotion candidate, and how preprod and master relate.
 */
public final class ChannelStatusReader {

  private final ChannelSpec stable;
  private final ChannelSpec preprod;

  public ChannelStatusReader(ChannelSpec stable, ChannelSpec preprod) {
    this.stable = Objects.requireNonNull(stable, "stable");
    this.preprod = Objects.requireNonNull(preprod, "preprod");
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
      Release newestStable = stableReleases.stream().max(byVersion).orElse(null);
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
          new BranchState(Channel.STABLE.id(), stable.branch(), name(master), newestStable),
          new BranchState(
              Channel.PREPROD.id(),
              preprod.branch(),
              name(pre),
              preprodReleases.stream().max(byVersion).orElse(null)),
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

  private static String name(ObjectId id) {
    return id == null ? null : id.name();
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
