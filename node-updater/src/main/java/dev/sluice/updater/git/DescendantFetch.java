package dev.sluice.updater.git;

import dev.sluice.core.git.GitException;
import dev.sluice.core.git.RemoteAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.ObjectWalk;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a ref's new commits back to the commit a shallow node runs, to learn cheaply that the ref
 * descends from it: the common case of a node's first move after a shallow install.
 *
 * <p><b>How.</b> The fetch asks for the ref with the node's commit as the only {@code have} and no
 * {@code deepen}: a server sends what lies between the two, as for any incremental fetch. It goes
 * into a quarantine, a repository inside the node's {@code .git} that borrows the node's objects
 * (git's {@code alternates}) and has the node's commit as its one shallow commit. There the ref's
 * history is walked: when it reaches the node's commit, and every object of the new commits is
 * present, the new packs move into the node's repository, the ref's commit is added to the shallow
 * list (so the node keeps its "depth 1, or full" history for {@link Fetcher}) and the tracking ref
 * is set.
 *
 * <p><b>Why a quarantine.</b> When the ref does not descend from the node's commit (leaving
 * preprod, a force-push), the server assumes the node holds that commit's whole history and leaves
 * out what it shares with it; JGit's own server (every {@code file://} remote) does so even though
 * the node says it is shallow. Such a pack is incomplete, and in the node's repository it would be
 * a broken history. In the quarantine it is thrown away with the folder, and the caller asks for
 * the full history as before. Nothing reaches the node's repository that does not connect.
 *
 * <p><b>Crash safety.</b> A killed run leaves the quarantine folder, which the next attempt removes
 * first. Packs move in before the shallow list and the ref change, each file in one rename, index
 * last: objects without a ref are harmless.
 */
final class DescendantFetch {

  /** The quarantine's folder inside {@code .git}. */
  static final String QUARANTINE = "sluice-quarantine";

  private static final String TARGET = "refs/sluice/fetched";
  private static final String BASE = "refs/sluice/base";

  private static final Logger LOG = LoggerFactory.getLogger(Workdir.class);

  private final Repository repo;
  private final Path dir;
  private final RemoteAccess access;

  DescendantFetch(Repository repo, Path dir, RemoteAccess access) {
    this.repo = repo;
    this.dir = dir;
    this.access = access;
  }

  /**
   * Fetches {@code ref} back to {@code base} and returns its commit when that commit descends from
   * {@code base}; empty when it does not, when it cannot be told this way, or when {@code base} is
   * not a shallow HEAD (a node with history fetches what it lacks anyway). Empty leaves the node's
   * repository as it was.
   *
   * @throws GitException {@code UNREACHABLE} when the network failed (asking again for more would
   *     fail the same way)
   */
  Optional<ObjectId> fetch(String ref, ObjectId base, ProgressMonitor progress) {
    Path quarantine = repo.getDirectory().toPath().resolve(QUARANTINE);
    try {
      Set<ObjectId> shallow = repo.getObjectDatabase().getShallowCommits();
      if (!shallow.contains(base) || !base.equals(repo.resolve("HEAD"))) {
        return Optional.empty();
      }
      remove(quarantine);
      long started = System.nanoTime();
      Optional<ObjectId> fetched = fetchInto(quarantine, ref, base, progress);
      if (fetched.isPresent()) {
        long adopting = System.nanoTime();
        adopt(quarantine, shallow, ref, fetched.get());
        LOG.debug(
            "workdir {}: fetched back to {} in {} ms, moved in {} ms",
            dir,
            base.abbreviate(10).name(),
            (adopting - started) / 1_000_000,
            (System.nanoTime() - adopting) / 1_000_000);
      }
      return fetched;
    } catch (IOException e) {
      LOG.info(
          "workdir {}: could not fetch {} back to {} ({}); fetching its history",
          dir,
          ref,
          base.abbreviate(10).name(),
          e.getMessage());
      return Optional.empty();
    } finally {
      try {
        remove(quarantine);
      } catch (IOException e) {
        LOG.warn("workdir {}: cannot remove {}: {}", dir, quarantine, e.getMessage());
      }
    }
  }

  private Optional<ObjectId> fetchInto(
      Path quarantine, String ref, ObjectId base, ProgressMonitor progress) throws IOException {
    try (Git init = Git.init().setBare(true).setGitDir(quarantine.toFile()).call()) {
      // closed at once: the alternates and shallow list are read when it is opened again
    } catch (GitAPIException e) {
      throw new IOException("cannot create " + quarantine + ": " + e.getMessage(), e);
    }
    Path objects = repo.getDirectory().toPath().resolve("objects").toAbsolutePath();
    Files.writeString(quarantine.resolve("objects/info/alternates"), objects + "\n");
    try (Repository q =
        new FileRepositoryBuilder()
            .setGitDir(quarantine.toFile())
            .setFS(repo.getFS())
            .setMustExist(true)
            .build()) {
      // The node's own settings (protocol version, transport options), as for its other fetches.
      StoredConfig config = q.getConfig();
      try {
        config.fromText(repo.getConfig().toText());
      } catch (ConfigInvalidException e) {
        throw new IOException("cannot copy the node's git config: " + e.getMessage(), e);
      }
      config.setBoolean("core", null, "bare", true);
      config.unset("core", null, "worktree");
      config.save();
      // Only base: the server must know the node lacks its parents, and a tip an earlier (killed)
      // run marked shallow must not hide the way down to base, which is present.
      q.getObjectDatabase().setShallowCommits(Set.of(base));
      RefUpdate have = q.updateRef(BASE);
      have.setNewObjectId(base);
      have.setExpectedOldObjectId(ObjectId.zeroId());
      require(have.update(), BASE);
      try (Git git = Git.wrap(q)) {
        access
            .apply(git.fetch())
            .setRemote(access.url())
            .setRefSpecs(new RefSpec("+" + ref + ":" + TARGET))
            .setTagOpt(TagOpt.NO_TAGS)
            .setProgressMonitor(progress)
            .setTimeout(120)
            .call();
      } catch (GitAPIException | JGitInternalException e) {
        GitException failure = FetchFailures.classify(e, ref, access.url(), dir);
        if (failure.kind() == GitException.Kind.UNREACHABLE) {
          throw failure;
        }
        LOG.info(
            "workdir {}: {} does not connect to {} in a fetch back to it ({}); fetching its"
                + " history",
            dir,
            ref,
            base.abbreviate(10).name(),
            failure.getMessage());
        return Optional.empty();
      }
      ObjectId tip = q.resolve(TARGET);
      if (tip == null) {
        return Optional.empty();
      }
      long walking = System.nanoTime();
      int commits = commitsDownTo(q, tip, base);
      LOG.debug(
          "workdir {}: {} walked down to {} in {} ms",
          dir,
          tip.abbreviate(10).name(),
          base.abbreviate(10).name(),
          (System.nanoTime() - walking) / 1_000_000);
      if (commits < 0) {
        LOG.info(
            "workdir {}: {} ({}) does not reach {} in a fetch back to it; fetching its history",
            dir,
            ref,
            tip.abbreviate(10).name(),
            base.abbreviate(10).name());
        return Optional.empty();
      }
      LOG.info(
          "fetched {} from {}: {}, {} commit(s) on top of {} (no history needed)",
          ref,
          access.url(),
          tip.name(),
          commits,
          base.abbreviate(10).name());
      return Optional.of(tip.copy());
    }
  }

  /**
   * How many commits were walked from {@code tip} to find {@code base} among its ancestors, when it
   * is there and the whole tree of {@code tip} is present; -1 otherwise. Only commits that are
   * present are followed, so a path found is a real one; a side branch whose older history the
   * server left out (it joins below {@code base}) is fine, as nothing checks it out.
   */
  static int commitsDownTo(Repository q, ObjectId tip, ObjectId base) throws IOException {
    try (ObjectWalk walk = new ObjectWalk(q)) {
      RevCommit start = walk.parseCommit(tip);
      RevCommit stop = walk.parseCommit(base);
      Deque<RevCommit> queue = new ArrayDeque<>(List.of(start));
      Set<ObjectId> seen = new HashSet<>(List.of(start));
      int count = 0;
      boolean reached = false;
      while (!queue.isEmpty() && !reached) {
        RevCommit commit = queue.poll();
        count++;
        for (RevCommit parent : commit.getParents()) {
          if (parent.equals(stop)) {
            reached = true;
          } else if (seen.add(parent)) {
            try {
              walk.parseHeaders(parent);
              queue.add(parent);
            } catch (MissingObjectException e) {
              // left out by the server: not a way down to base
            }
          }
        }
      }
      if (!reached) {
        return -1;
      }
      walk.reset();
      walk.markStart(walk.parseTree(start.getTree()));
      walk.markUninteresting(walk.parseTree(stop.getTree()));
      walk.checkConnectivity();
      return count;
    } catch (MissingObjectException e) {
      return -1;
    }
  }

  /** Moves the quarantine's objects in, then marks the new tip shallow and sets the ref. */
  private void adopt(Path quarantine, Set<ObjectId> shallow, String ref, ObjectId tip)
      throws IOException {
    Path from = quarantine.resolve("objects");
    Path to = repo.getDirectory().toPath().resolve("objects");
    List<Path> packs = new ArrayList<>();
    try (Stream<Path> files = Files.list(from.resolve("pack"))) {
      files.filter(p -> p.getFileName().toString().endsWith(".pack")).forEach(packs::add);
    }
    for (Path pack : packs) {
      String name = pack.getFileName().toString();
      String stem = name.substring(0, name.length() - ".pack".length());
      move(pack, to.resolve("pack").resolve(name));
      for (String ext : List.of(".rev", ".bitmap", ".idx")) {
        Path side = from.resolve("pack").resolve(stem + ext);
        if (Files.exists(side)) {
          move(side, to.resolve("pack").resolve(stem + ext));
        }
      }
    }
    try (Stream<Path> fanout = Files.list(from)) {
      for (Path folder : fanout.filter(p -> p.getFileName().toString().length() == 2).toList()) {
        try (Stream<Path> loose = Files.list(folder)) {
          for (Path object : loose.toList()) {
            Files.createDirectories(to.resolve(folder.getFileName()));
            move(object, to.resolve(folder.getFileName()).resolve(object.getFileName()));
          }
        }
      }
    }
    Set<ObjectId> marked = new HashSet<>(shallow);
    marked.add(tip);
    repo.getObjectDatabase().setShallowCommits(marked);
    String local = Fetcher.localRefFor(ref);
    RefUpdate update = repo.updateRef(local);
    update.setNewObjectId(tip);
    update.setRefLogMessage("fetch back to HEAD", false);
    require(update.forceUpdate(), local);
  }

  /** One rename, as git moves a pack into place (JGit falls back when it cannot be atomic). */
  private static void move(Path from, Path to) throws IOException {
    FileUtils.rename(from.toFile(), to.toFile(), StandardCopyOption.ATOMIC_MOVE);
  }

  private void require(RefUpdate.Result result, String ref) throws IOException {
    switch (result) {
      case NEW, FORCED, FAST_FORWARD, NO_CHANGE -> {
        // stored
      }
      default -> throw new IOException("cannot update " + ref + " (" + result + ")");
    }
  }

  private static void remove(Path folder) throws IOException {
    FileUtils.delete(folder.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING);
  }
}
