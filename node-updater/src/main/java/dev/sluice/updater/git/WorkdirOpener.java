package dev.sluice.updater.git;

import dev.sluice.core.git.GitException;
import dev.sluice.core.git.RemoteAccess;
import dev.sluice.core.git.RemoteUrls;
import dev.sluice.updater.state.NodeIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jgit.api.errors.InvalidRefNameException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening a node's working tree: adopting an existing clone (its origin stripped of credentials),
 * creating a repository in a missing or empty folder, and making it again when a killed first
 * install left it unusable. A folder that holds files but no repository is never touched.
 *
 * <p>Logs as {@link Workdir}, as it did before it was split out of it.
 */
final class WorkdirOpener {

  private static final Logger LOG = LoggerFactory.getLogger(Workdir.class);

  private WorkdirOpener() {}

  /** See {@link Workdir#open(Path, RemoteAccess, SavedRetention)}. */
  static Workdir open(Path dir, RemoteAccess access, SavedRetention retention) {
    Path gitDir = dir.resolve(Constants.DOT_GIT);
    try {
      if (!Files.isRegularFile(gitDir.resolve(Constants.HEAD))) {
        if (!holdsOnlyGitDir(dir)) {
          throw new GitException(
              GitException.Kind.CONFIG,
              "workdir "
                  + dir
                  + " holds files but no git repository; refusing to touch it (empty it or point"
                  + " --workdir at a new folder)");
        }
        return create(dir, gitDir, access, retention);
      }
      try {
        Workdir workdir = openExisting(dir, gitDir, access, retention);
        forgetCredentialsInOrigin(workdir.repository(), dir, access);
        workdir.head(); // fail now, not halfway, when the repository is unreadable
        return workdir;
      } catch (IOException | GitException e) {
        if (!holdsOnlyGitDir(dir)) {
          throw e;
        }
        // Nothing was ever checked out: a first install killed while creating the repository.
        LOG.warn(
            "workdir {}: the repository of an interrupted first install is unusable ({}); making"
                + " it again",
            dir,
            GitException.rootMessage(e));
        return create(dir, gitDir, access, retention);
      }
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.CORRUPT,
          "workdir " + dir + ": cannot open git repository: " + e.getMessage(),
          e);
    }
  }

  private static Workdir openExisting(
      Path dir, Path gitDir, RemoteAccess access, SavedRetention retention) throws IOException {
    Repository repo =
        new FileRepositoryBuilder()
            .setWorkTree(dir.toFile())
            .setGitDir(gitDir.toFile())
            .setMustExist(true)
            .build();
    return new Workdir(dir, access, repo, retention);
  }

  /**
   * A new repository in {@code .git}; whatever a killed first install left in it is removed first,
   * except the work-tree lock.
   */
  private static Workdir create(
      Path dir, Path gitDir, RemoteAccess access, SavedRetention retention) throws IOException {
    Files.createDirectories(gitDir);
    try (Stream<Path> entries = Files.list(gitDir)) {
      for (Path entry : entries.toList()) {
        String name = entry.getFileName().toString();
        if (!name.equals(WorkTreeLock.FILE) && !name.equals(NodeIdentity.FILE)) {
          deleteTree(entry);
        }
      }
    }
    Repository created;
    try {
      created =
          new FileRepositoryBuilder()
              .setWorkTree(dir.toFile())
              .setGitDir(gitDir.toFile())
              .setInitialBranch("main")
              .build();
    } catch (InvalidRefNameException e) {
      throw new IOException(e.getMessage(), e);
    }
    created.create(false);
    LOG.info("workdir {}: created a new repository", dir);
    Workdir workdir = new Workdir(dir, access, created, retention);
    StoredConfig config = created.getConfig();
    config.setString("remote", "origin", "url", access.url());
    config.save();
    return workdir;
  }

  private static void deleteTree(Path path) throws IOException {
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> walk = Files.walk(path)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    } else {
      Files.deleteIfExists(path);
    }
  }

  /** An origin URL that carries a password or token (an older install's) loses it. */
  private static void forgetCredentialsInOrigin(Repository repo, Path dir, RemoteAccess access)
      throws IOException {
    StoredConfig config = repo.getConfig();
    String origin = config.getString("remote", "origin", "url");
    if (origin != null && !origin.equals(RemoteUrls.redact(origin))) {
      config.setString("remote", "origin", "url", access.url());
      config.save();
      LOG.info("workdir {}: removed the credentials from remote.origin.url", dir);
    }
  }

  /** True when the folder is missing, empty, or holds nothing but {@code .git}. */
  private static boolean holdsOnlyGitDir(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return true;
    }
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.allMatch(p -> p.getFileName().toString().equals(Constants.DOT_GIT));
    }
  }

  /** See {@link Workdir#peekHead(Path)}. */
  static Optional<ObjectId> peekHead(Path dir) {
    try (Repository repo =
        new FileRepositoryBuilder()
            .setWorkTree(dir.toFile())
            .setGitDir(dir.resolve(Constants.DOT_GIT).toFile())
            .setMustExist(true)
            .build()) {
      Ref head = repo.exactRef(Constants.HEAD);
      return Optional.ofNullable(head == null ? null : head.getObjectId()).map(ObjectId::copy);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
