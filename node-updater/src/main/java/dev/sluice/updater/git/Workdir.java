package dev.sluice.updater.git;

import dev.sluice.core.git.GitException;
import dev.sluice.core.git.RemoteAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRefNameException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.submodule.SubmoduleWalk;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's working tree: a git repository whose HEAD is detached at the commit the node runs.
 *
 * <p>Only the ref a run needs is fetched, shallow (depth 1), so a first install transfers one
 * commit's tree and a later update transfers what changed. Before a checkout would destroy local
 * work (modified tracked files, untracked files that are not ignored), it is saved as a commit
 * under {@code refs/sluice/saved/<time>}. Ignored files are never touched.
 */
public final class Workdir implements AutoCloseable {

  public static final String SAVED_PREFIX = "refs/sluice/saved/";

  private static final Logger LOG = LoggerFactory.getLogger(Workdir.class);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Path dir;
  private final RemoteAccess access;
  private final String remote;
  private final Repository repo;
  private final Git git;

  private Workdir(Path dir, RemoteAccess access, Repository repo) {
    this.dir = dir;
    this.access = access;
    this.remote = access.url();
    this.repo = repo;
    this.git = new Git(repo);
  }

  /** Opens the working tree of a remote that needs no credentials beyond its URL. */
  public static Workdir open(Path dir, String remote) {
    return open(dir, RemoteAccess.of(remote));
  }

  /**
   * Opens the working tree, creating an empty repository in a missing or empty folder.
   *
   * <p>The repository's {@code remote.origin.url} is the remote's URL without credentials (a token
   * given in the URL is not written there); fetches get the credentials from {@code access}.
   *
   * @throws GitException {@code OTHER} when the folder holds files but no repository (nothing is
   *     touched), {@code CORRUPT} when the repository cannot be read
   */
  public static Workdir open(Path dir, RemoteAccess access) {
    try {
      Path gitDir = dir.resolve(Constants.DOT_GIT);
      if (!Files.isDirectory(gitDir)) {
        if (Files.exists(dir) && !isEmptyDirectory(dir)) {
          throw new GitException(
              GitException.Kind.OTHER,
              "workdir "
                  + dir
                  + " holds files but no git repository; refusing to touch it (empty it or point"
                  + " --workdir at a new folder)");
        }
        Files.createDirectories(dir);
        Repository created =
            new FileRepositoryBuilder().setWorkTree(dir.toFile()).setInitialBranch("main").build();
        created.create(false);
        LOG.info("workdir {}: created a new repository", dir);
        Workdir workdir = new Workdir(dir, access, created);
        workdir.rememberRemote();
        return workdir;
      }
      Repository repo =
          new FileRepositoryBuilder()
              .setWorkTree(dir.toFile())
              .setGitDir(gitDir.toFile())
              .setMustExist(true)
              .build();
      Workdir workdir = new Workdir(dir, access, repo);
      workdir.head(); // fail now, not halfway, when the repository is unreadable
      workdir.rememberRemote();
      return workdir;
    } catch (IOException | InvalidRefNameException e) {
      throw new GitException(
          GitException.Kind.CORRUPT,
          "workdir " + dir + ": cannot open git repository: " + e.getMessage(),
          e);
    }
  }

  private static boolean isEmptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  private void rememberRemote() throws IOException {
    StoredConfig config = repo.getConfig();
    if (!remote.equals(config.getString("remote", "origin", "url"))) {
      config.setString("remote", "origin", "url", remote);
      config.save();
    }
  }

  public Path dir() {
    return dir;
  }

  public Repository repository() {
    return repo;
  }

  /**
   * The commit checked out now, or empty when nothing is installed yet.
   *
   * @throws GitException {@code CORRUPT} when HEAD cannot be read
   */
  public Optional<ObjectId> head() {
    try {
      Ref head = repo.exactRef(Constants.HEAD);
      if (head == null) {
        throw new GitException(
            GitException.Kind.CORRUPT, "workdir " + dir + ": HEAD is unreadable");
      }
      ObjectId id = head.getObjectId();
      if (id == null) {
        return Optional.empty();
      }
      try (RevWalk walk = new RevWalk(repo)) {
        walk.parseCommit(id);
      }
      return Optional.of(id);
    } catch (MissingObjectException e) {
      throw new GitException(
          GitException.Kind.CORRUPT,
          "workdir " + dir + ": HEAD names commit " + e.getObjectId().name() + " which is missing",
          e);
    } catch (IOException | RuntimeException e) {
      if (e instanceof GitException g) {
        throw g;
      }
      throw new GitException(
          GitException.Kind.CORRUPT, "workdir " + dir + ": cannot read HEAD: " + e.getMessage(), e);
    }
  }

  /**
   * Fetches one remote ref (shallow) and returns the commit it names now; the remote may have moved
   * since it was listed, in which case the newer commit is returned.
   */
  public ObjectId fetch(String ref, ProgressMonitor progress) {
    return fetch(ref, progress, false);
  }

  /**
   * Fetches one remote ref, shallow unless {@code fullHistory}: ancestry questions (barriers) need
   * the history, so a shallow repository is deepened to the full history of that ref.
   */
  public ObjectId fetch(String ref, ProgressMonitor progress, boolean fullHistory) {
    String local = localRefFor(ref);
    try {
      FetchCommand fetch =
          access
              .apply(git.fetch())
              .setRemote(remote)
              .setRefSpecs(new RefSpec("+" + ref + ":" + local))
              .setTagOpt(TagOpt.NO_TAGS)
              .setProgressMonitor(progress)
              .setTimeout(120);
      if (!fullHistory) {
        fetch.setDepth(1);
      } else if (!repo.getObjectDatabase().getShallowCommits().isEmpty()) {
        fetch.setUnshallow(true);
      }
      FetchResult result = fetch.call();
      if (result.getAdvertisedRef(ref) == null) {
        throw new GitException(
            GitException.Kind.MISSING_REF, "remote " + remote + " no longer has " + ref);
      }
      try (RevWalk walk = new RevWalk(repo)) {
        ObjectId id = repo.resolve(local);
        RevCommit commit = walk.parseCommit(id);
        LOG.info("fetched {} from {}: {}", ref, remote, commit.name());
        return commit.getId();
      }
    } catch (GitAPIException | JGitInternalException e) {
      String cause = GitException.rootMessage(e);
      if (isLocalStorageFailure(cause)) {
        throw new GitException(
            GitException.Kind.OTHER,
            "cannot store " + ref + " fetched from " + remote + " in " + dir + ": " + cause,
            e);
      }
      throw new GitException(
          GitException.Kind.UNREACHABLE,
          "cannot fetch " + ref + " from " + remote + ": " + cause,
          e);
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

  /** A full disk or quota is a local problem, not an unreachable remote. */
  private static boolean isLocalStorageFailure(String message) {
    return message.contains("No space left on device")
        || message.contains("Disk quota exceeded")
        || message.contains("Read-only file system");
  }

  static String localRefFor(String remoteRef) {
    if (remoteRef.startsWith(Constants.R_HEADS)) {
      return Constants.R_REMOTES + "origin/" + remoteRef.substring(Constants.R_HEADS.length());
    }
    return remoteRef;
  }

  /**
   * The tracked files that differ from HEAD and the untracked files that are not ignored: what a
   * checkout would destroy. A damaged index is rebuilt from HEAD first (the old one is kept beside
   * it), which loses nothing: the files themselves are compared by content afterwards.
   */
  public Collection<String> localChanges(Instant now) {
    Status status = status(now);
    TreeSet<String> paths = new TreeSet<>();
    paths.addAll(status.getModified());
    paths.addAll(status.getChanged());
    paths.addAll(status.getAdded());
    paths.addAll(status.getUntracked());
    paths.addAll(status.getConflicting());
    return paths;
  }

  private Status status(Instant now) {
    ensureIndexReadable(now);
    try {
      return git.status().setIgnoreSubmodules(SubmoduleWalk.IgnoreSubmoduleMode.ALL).call();
    } catch (GitAPIException | JGitInternalException e) {
      throw new GitException(
          GitException.Kind.CORRUPT,
          "workdir " + dir + ": cannot compare files with HEAD: " + GitException.rootMessage(e),
          e);
    }
  }

  /** Reads the index once; a damaged one is rebuilt from HEAD (the old one kept beside it). */
  private void ensureIndexReadable(Instant now) {
    try {
      repo.readDirCache();
    } catch (IOException damage) {
      rebuildIndex(now, damage);
    }
  }

  private void rebuildIndex(Instant now, Exception damage) {
    Path index = repo.getIndexFile().toPath();
    Path aside = index.resolveSibling("index.corrupt-" + STAMP.format(now));
    try {
      Files.move(index, aside, StandardCopyOption.REPLACE_EXISTING);
      DirCache fresh = repo.lockDirCache();
      try {
        DirCacheBuilder builder = fresh.builder();
        Optional<ObjectId> head = head();
        if (head.isPresent()) {
          try (RevWalk walk = new RevWalk(repo)) {
            builder.addTree(
                new byte[0], 0, repo.newObjectReader(), walk.parseCommit(head.get()).getTree());
          }
        }
        builder.finish();
        fresh.write();
        fresh.commit();
      } finally {
        fresh.unlock();
      }
      LOG.warn(
          "workdir {}: git index was damaged ({}); moved it to {} and rebuilt it from HEAD",
          dir,
          GitException.rootMessage(damage),
          aside);
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.CORRUPT,
          "workdir " + dir + ": cannot rebuild damaged index: " + e.getMessage(),
          e);
    }
  }

  /**
   * Saves modified tracked files and untracked, non-ignored files as a commit under {@code
   * refs/sluice/saved/<time>} and resets them, so the coming checkout destroys nothing.
   */
  public Optional<SavedChanges> saveLocalChanges(Instant now, String why) {
    Collection<String> paths = localChanges(now);
    if (paths.isEmpty()) {
      return Optional.empty();
    }
    try {
      PersonIdent who =
          new PersonIdent(
              "sluice node-updater", "node-updater@sluice.invalid", now, ZoneOffset.UTC);
      RevCommit saved =
          git.stashCreate()
              .setIncludeUntracked(true)
              .setPerson(who)
              .setIndexMessage("sluice: index before " + why)
              .setWorkingDirectoryMessage("sluice: local changes saved before " + why)
              .call();
      if (saved == null) {
        return Optional.empty();
      }
      String ref = uniqueSavedRef(now);
      RefUpdate update = repo.updateRef(ref);
      update.setNewObjectId(saved);
      update.setExpectedOldObjectId(ObjectId.zeroId());
      RefUpdate.Result result = update.update();
      if (result != RefUpdate.Result.NEW) {
        throw new GitException(
            GitException.Kind.OTHER, "workdir " + dir + ": cannot create " + ref + ": " + result);
      }
      SavedChanges changes = new SavedChanges(ref, saved, List.copyOf(paths));
      LOG.warn("workdir {}: {}", dir, changes.describe());
      return Optional.of(changes);
    } catch (GitAPIException | JGitInternalException | IOException e) {
      throw new GitException(
          GitException.Kind.OTHER,
          "workdir "
              + dir
              + ": cannot save local changes ("
              + paths.size()
              + " files); nothing was changed: "
              + GitException.rootMessage(e),
          e);
    }
  }

  private String uniqueSavedRef(Instant now) throws IOException {
    String base = SAVED_PREFIX + STAMP.format(now);
    String ref = base;
    for (int n = 2; repo.exactRef(ref) != null; n++) {
      ref = base + "-" + n;
    }
    return ref;
  }

  /**
   * Deletes the temporary files a failed JGit checkout leaves beside the files it was writing
   * ({@code ._<name><digits>.tmp}, e.g. when the disk filled up), but only beside a file of {@code
   * to}'s tree, so no file of anyone else's is touched.
   */
  public List<String> removeCheckoutTempFiles(ObjectId to) {
    try {
      List<String> removed = checkoutTempFiles(to);
      if (!removed.isEmpty()) {
        LOG.warn(
            "workdir {}: removed {} temporary file(s) of a failed checkout", dir, removed.size());
      }
      return removed;
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.OTHER,
          "workdir "
              + dir
              + ": cannot remove temporary files of the failed checkout: "
              + e.getMessage(),
          e);
    }
  }

  private List<String> checkoutTempFiles(ObjectId to) throws IOException {
    Set<String> paths = new HashSet<>();
    try (RevWalk walk = new RevWalk(repo);
        TreeWalk tree = new TreeWalk(repo)) {
      tree.addTree(walk.parseCommit(to).getTree());
      tree.setRecursive(true);
      while (tree.next()) {
        paths.add(tree.getPathString());
      }
    }
    List<String> removed = new ArrayList<>();
    Pattern temp = Pattern.compile("\\._(.+?)\\d+\\.tmp");
    Path gitDir = dir.resolve(Constants.DOT_GIT);
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(p -> !p.startsWith(gitDir)).toList()) {
        Matcher name = temp.matcher(file.getFileName().toString());
        if (!name.matches() || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        String relative =
            dir.relativize(file.resolveSibling(name.group(1))).toString().replace('\\', '/');
        if (paths.contains(relative)) {
          Files.delete(file);
          removed.add(dir.relativize(file).toString());
        }
      }
    }
    return removed;
  }

  /**
   * Moves HEAD (detached) and the tracked files to a commit, from a clean working tree: files the
   * commit does not track and ignored files are left alone.
   */
  public void checkout(ObjectId commit, ProgressMonitor progress) {
    checkout(commit, progress, false);
  }

  /**
   * Like {@link #checkout(ObjectId, ProgressMonitor)}; with {@code rewriteAll} every tracked file
   * is then rewritten to the commit's content too, including files something else deleted or
   * changed meanwhile (a hook that broke the tree, a killed checkout): what a restore needs.
   */
  public void checkout(ObjectId commit, ProgressMonitor progress, boolean rewriteAll) {
    try {
      git.checkout().setName(commit.name()).setForced(true).setProgressMonitor(progress).call();
      if (rewriteAll) {
        git.reset()
            .setMode(ResetCommand.ResetType.HARD)
            .setRef(commit.name())
            .setProgressMonitor(progress)
            .call();
      }
      LOG.info("workdir {}: checked out {}", dir, commit.name());
    } catch (GitAPIException | JGitInternalException e) {
      throw new GitException(
          GitException.Kind.OTHER,
          "workdir "
              + dir
              + ": checkout of "
              + commit.name()
              + " failed: "
              + GitException.rootMessage(e),
          e);
    }
  }

  /**
   * Removes the lock files a killed git operation leaves behind ({@code index.lock}, {@code
   * HEAD.lock}). Only called while the state lock is held, so no other run of ours is using them.
   */
  public void clearStaleLocks() {
    for (String name : new String[] {"index.lock", "HEAD.lock"}) {
      Path lock = repo.getDirectory().toPath().resolve(name);
      try {
        if (Files.deleteIfExists(lock)) {
          LOG.warn("workdir {}: removed stale {} left by an interrupted run", dir, name);
        }
      } catch (IOException e) {
        throw new GitException(
            GitException.Kind.CORRUPT,
            "workdir " + dir + ": cannot remove stale " + lock + ": " + e.getMessage(),
            e);
      }
    }
  }

  /**
   * After an interrupted checkout of {@code to} was undone back to {@code from}: deletes the files
   * that the interrupted checkout had already written and that {@code from} does not track, but
   * only where the file is untracked and holds exactly {@code to}'s content, so nothing anyone else
   * wrote is ever removed.
   */
  public List<String> removeLeftovers(ObjectId from, ObjectId to) {
    List<String> removed = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repo);
        TreeWalk tree = new TreeWalk(repo)) {
      tree.addTree(walk.parseCommit(to).getTree());
      tree.addTree(walk.parseCommit(from).getTree());
      tree.addTree(new DirCacheIterator(repo.readDirCache()));
      tree.setRecursive(true);
      while (tree.next()) {
        if (tree.getRawMode(0) == 0 || tree.getRawMode(1) != 0 || tree.getRawMode(2) != 0) {
          continue; // not only in 'to', or tracked now
        }
        Path file = dir.resolve(tree.getPathString());
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
            && Arrays.equals(Files.readAllBytes(file), repo.open(tree.getObjectId(0)).getBytes())) {
          Files.delete(file);
          removed.add(tree.getPathString());
        }
      }
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.OTHER,
          "workdir " + dir + ": cannot clean up after interrupted checkout: " + e.getMessage(),
          e);
    }
    if (!removed.isEmpty()) {
      LOG.warn(
          "workdir {}: removed {} file(s) an interrupted checkout had written",
          dir,
          removed.size());
    }
    return removed;
  }

  /**
   * Checks that HEAD is the commit and every tracked file equals the commit's tree.
   *
   * @throws GitException naming the first differing paths
   */
  public void verify(ObjectId commit, Instant now) {
    Optional<ObjectId> head = head();
    if (head.isEmpty() || !head.get().equals(commit)) {
      throw new GitException(
          GitException.Kind.OTHER,
          "workdir "
              + dir
              + ": HEAD is "
              + head.map(ObjectId::name).orElse("unborn")
              + ", expected "
              + commit.name());
    }
    Status status = status(now);
    TreeSet<String> wrong = new TreeSet<>();
    wrong.addAll(status.getModified());
    wrong.addAll(status.getMissing());
    wrong.addAll(status.getChanged());
    wrong.addAll(status.getAdded());
    wrong.addAll(status.getRemoved());
    wrong.addAll(status.getConflicting());
    if (!wrong.isEmpty()) {
      throw new GitException(
          GitException.Kind.OTHER,
          "workdir "
              + dir
              + ": after checkout of "
              + commit.name()
              + ", "
              + wrong.size()
              + " tracked file(s) differ from the commit, e.g. "
              + wrong.first());
    }
  }

  @Override
  public void close() {
    git.close();
    repo.close();
  }
}
