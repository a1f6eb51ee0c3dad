package dev.sluice.updater.git;

import dev.sluice.core.git.GitException;
import dev.sluice.core.git.RemoteAccess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.SubmoduleConfig.FetchRecurseSubmodulesMode;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.TrackingRefUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches one remote ref into the node's repository.
 *
 * <p><b>Which history, which haves.</b> An empty or shallow repository fetches shallow (depth 1); a
 * full clone (an adopted checkout, or a node whose history was deepened) fetches normally and stays
 * a full clone. The commits offered to the server as {@code have} are those reachable from HEAD and
 * from the local copy of the fetched ref only: never saved work or other local refs.
 *
 * <p><b>Why.</b> In protocol v0 a shallow request ({@code deepen}, {@code shallow} lines) is
 * answered first with the server's shallow list, before any ACK/NAK. JGit reads that list only
 * after it has sent {@code done}, but it stops to read ACK/NAK as soon as it has sent 64 haves over
 * a two-way connection ({@code file://}, {@code git://}, ssh) or 32 over stateless HTTP; with more
 * haves than that it finds {@code shallow <id>} where it expects ACK/NAK and the fetch fails. JGit
 * offers every commit reachable from every ref, so each saved-work ref (a stash commit and its
 * index, untracked-files and base commits) and the whole history of a full clone counted against
 * that limit. Protocol v2 puts the shallow list after the acknowledgments and is not affected, but
 * {@code file://} in JGit and many ssh servers and proxies speak only v0. So a shallow fetch here
 * never offers more than {@value #SAFE_SHALLOW_HAVES} haves, and a fetch that needs to offer more
 * sends no shallow request at all.
 */
final class Fetcher {

  /** Fewer haves than the first batch JGit reads ACK/NAK after (32 over stateless HTTP). */
  static final int SAFE_SHALLOW_HAVES = 31;

  private static final Logger LOG = LoggerFactory.getLogger(Fetcher.class);

  /** What a fetch asks the server for. */
  enum Depth {
    /** The ref's commit only: an empty or shallow repository stays shallow. */
    SHALLOW,
    /** The ref's full history into a shallow repository. */
    UNSHALLOW,
    /** Everything the repository lacks, as a plain {@code git fetch}: no shallow request. */
    FULL
  }

  /** The depth asked for and the refs whose commits are offered as haves. */
  record Negotiation(Depth depth, Set<String> tips) {}

  private final Repository repo;
  private final Path dir;
  private final RemoteAccess access;
  private final String remote;

  Fetcher(Repository repo, Path dir, RemoteAccess access) {
    this.repo = repo;
    this.dir = dir;
    this.access = access;
    this.remote = access.url();
  }

  /**
   * Fetches {@code ref} and returns the commit it names now.
   *
   * @param fullHistory fetch the ref's whole history (ancestry questions need it)
   * @throws GitException {@code UNREACHABLE} only when the network failed (refused, unknown host,
   *     timeout, HTTP 5xx); {@code MISSING_REF} when the remote has no such ref; {@code PROTOCOL}
   *     when the remote answered but the fetch failed there; {@code OTHER} or {@code CORRUPT} when
   *     the node's repository could not store the result
   */
  ObjectId fetch(String ref, ProgressMonitor progress, boolean fullHistory) {
    try {
      return fetchOnce(ref, progress, fullHistory);
    } catch (GitException e) {
      if (!ShallowRepair.isMissingHistory(e)) {
        throw e;
      }
      try {
        if (ShallowRepair.repair(repo) == 0) {
          throw e;
        }
      } catch (IOException repairFailed) {
        e.addSuppressed(repairFailed);
        throw e;
      }
      LOG.warn("fetching {} again after repairing the shallow history", ref);
      return fetchOnce(ref, progress, fullHistory);
    }
  }

  private ObjectId fetchOnce(String ref, ProgressMonitor progress, boolean fullHistory) {
    String local = localRefFor(ref);
    try {
      Negotiation negotiation = plan(local, fullHistory);
      LOG.debug("fetching {} from {}: {}", ref, remote, negotiation);
      FetchResult result;
      try (Repository view = new NegotiationView(repo, negotiation.tips());
          Git git = Git.wrap(view)) {
        FetchCommand fetch =
            access
                .apply(git.fetch())
                .setRemote(remote)
                .setRefSpecs(new RefSpec("+" + ref + ":" + local))
                .setTagOpt(TagOpt.NO_TAGS)
                .setRecurseSubmodules(FetchRecurseSubmodulesMode.NO)
                .setProgressMonitor(progress)
                .setTimeout(120);
        switch (negotiation.depth()) {
          case SHALLOW -> fetch.setDepth(1);
          case UNSHALLOW -> fetch.setUnshallow(true);
          case FULL -> {
            // a plain fetch
          }
        }
        result = fetch.call();
      }
      if (result.getAdvertisedRef(ref) == null) {
        throw new GitException(
            GitException.Kind.MISSING_REF, "remote " + remote + " no longer has " + ref);
      }
      requireStored(result.getTrackingRefUpdate(local), ref, local);
      try (RevWalk walk = new RevWalk(repo)) {
        ObjectId id = repo.resolve(local);
        RevCommit commit = walk.parseCommit(id);
        LOG.info("fetched {} from {}: {}", ref, remote, commit.name());
        return commit.getId();
      }
    } catch (GitAPIException | JGitInternalException e) {
      if (namesNoCommit(e)) {
        throw notACommit(ref, e);
      }
      throw FetchFailures.classify(e, ref, remote, dir);
    } catch (IncorrectObjectTypeException e) {
      throw notACommit(ref, e);
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.CORRUPT,
          "workdir "
              + dir
              + ": cannot store "
              + ref
              + " fetched from "
              + remote
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** A branch or tag that names a tree or a blob cannot be run: the remote is set up wrong. */
  private GitException notACommit(String ref, Exception e) {
    return new GitException(
        GitException.Kind.CONFIG,
        ref
            + " on "
            + remote
            + " names a tree or a blob, not a commit: nothing to run there (point it at a"
            + " commit)",
        e);
  }

  private static boolean namesNoCommit(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IncorrectObjectTypeException) {
        return true;
      }
    }
    return false;
  }

  /** A ref update JGit could not make (a stale lock, say) does not throw: check it. */
  private void requireStored(TrackingRefUpdate update, String ref, String local) {
    if (update == null) {
      return; // already up to date
    }
    RefUpdate.Result result = update.getResult();
    switch (result) {
      case NEW, FORCED, FAST_FORWARD, NO_CHANGE -> {
        // stored
      }
      default ->
          throw new GitException(
              GitException.Kind.OTHER,
              "workdir "
                  + dir
                  + ": fetched "
                  + ref
                  + " from "
                  + remote
                  + " but cannot update "
                  + local
                  + " ("
                  + result
                  + ")");
    }
  }

  /** Chooses the depth and the haves so that the exchange works over every protocol version. */
  Negotiation plan(String local, boolean fullHistory) throws IOException {
    Set<ObjectId> shallow = repo.getObjectDatabase().getShallowCommits();
    List<Ref> candidates = new ArrayList<>();
    for (String name : List.of(Constants.HEAD, local)) {
      Ref found = repo.exactRef(name);
      if (found != null && found.getObjectId() != null) {
        candidates.add(found);
      }
    }
    if (historyComplete(shallow) || (fullHistory && shallow.isEmpty())) {
      return new Negotiation(Depth.FULL, names(candidates));
    }
    Depth depth = fullHistory ? Depth.UNSHALLOW : Depth.SHALLOW;
    List<Ref> tips = new ArrayList<>();
    for (Ref candidate : candidates) {
      tips.add(candidate);
      if (haves(tips) > SAFE_SHALLOW_HAVES) {
        tips.remove(candidate);
        LOG.debug("not offering {}: its history is too long for a shallow fetch", candidate);
      }
    }
    return new Negotiation(depth, names(tips));
  }

  /**
   * Whether HEAD's history is complete: a full clone, or a node whose history was deepened for
   * barriers. Such a node fetches what it lacks, without a shallow request: it has the history
   * already, and its haves could not be kept below the limit anyway. (Every fetch here is depth 1
   * or a full deepening, so a HEAD with more than a handful of commits behind it has them all.)
   */
  private boolean historyComplete(Set<ObjectId> shallow) throws IOException {
    Ref head = repo.exactRef(Constants.HEAD);
    if (commitOf(head) == null) {
      return false;
    }
    return shallow.isEmpty() || haves(List.of(head)) > SAFE_SHALLOW_HAVES;
  }

  /** How many commits JGit would offer from these tips, counted up to one past the safe limit. */
  private int haves(List<Ref> tips) throws IOException {
    try (RevWalk walk = new RevWalk(repo)) {
      for (Ref tip : tips) {
        ObjectId commit = commitOf(tip);
        if (commit != null) {
          walk.markStart(walk.parseCommit(commit));
        }
      }
      int count = 0;
      while (count <= SAFE_SHALLOW_HAVES && walk.next() != null) {
        count++;
      }
      return count;
    }
  }

  private ObjectId commitOf(Ref ref) throws IOException {
    if (ref == null || ref.getObjectId() == null) {
      return null;
    }
    try (RevWalk walk = new RevWalk(repo)) {
      return walk.parseCommit(ref.getObjectId()).getId();
    } catch (MissingObjectException | IncorrectObjectTypeException e) {
      return null;
    }
  }

  private static Set<String> names(List<Ref> refs) {
    Set<String> names = new LinkedHashSet<>();
    refs.forEach(ref -> names.add(ref.getName()));
    return names;
  }

  static String localRefFor(String remoteRef) {
    if (remoteRef.startsWith(Constants.R_HEADS)) {
      return Constants.R_REMOTES + "origin/" + remoteRef.substring(Constants.R_HEADS.length());
    }
    return remoteRef;
  }
}
