package dev.sluice.core.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.TrackingRefUpdate;

/**
 * A local bare mirror of one remote's branches and tags: fetched before every read, pushed from for
 * every change. It holds nothing that is not on the remote, so it is safe to delete.
 */
public final class RemoteCache implements AutoCloseable {

  private static final int TIMEOUT_SECONDS = 30;

  private final Path dir;
  private final String remote;
  private final CredentialsProvider credentials;
  private final Repository repo;

  private RemoteCache(Path dir, String remote, CredentialsProvider credentials, Repository repo) {
    this.dir = dir;
    this.remote = remote;
    this.credentials = credentials;
    this.repo = repo;
  }

  /**
   * Opens the cache in {@code dir}, creating a bare repository there when the directory is missing
   * or empty.
   *
   * @param credentials for https remotes, or null to use none (ssh uses JGit's default transport)
   * @throws GitException {@code INVALID_REMOTE} for a malformed URL, {@code CORRUPT} when {@code
   *     dir} holds something that is not a git repository
   */
  public static RemoteCache open(Path dir, String remote, CredentialsProvider credentials) {
    RemoteRefs.checkRemoteSyntax(remote);
    try {
      boolean fresh = !Files.isDirectory(dir) || isEmpty(dir);
      if (!fresh && !Files.exists(dir.resolve("HEAD"))) {
        throw new GitException(
            GitException.Kind.CORRUPT,
            "cache directory " + dir + " is not empty and not a git repository");
      }
      Files.createDirectories(dir);
      Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
      if (fresh) {
        repo.create(true);
      }
      return new RemoteCache(dir, remote, credentials, repo);
    } catch (IOException | IllegalStateException e) {
      throw new GitException(
          GitException.Kind.CORRUPT,
          "cache directory "
              + dir
              + " cannot be used (delete it, it is only a cache): "
              + RemoteRefs.rootMessage(e),
          e);
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  /**
   * Makes the cache's branches and tags exactly the remote's: new and moved refs are taken (even
   * when a tag or branch was rewritten), refs deleted on the remote are removed.
   *
   * @throws GitException {@code UNREACHABLE} naming the remote when it cannot be read
   */
  public void fetch() {
    try (Git git = Git.wrap(repo)) {
      FetchResult result =
          git.fetch()
              .setRemote(remote)
              .setRefSpecs(
                  new RefSpec("+refs/heads/*:refs/heads/*"),
                  new RefSpec("+refs/tags/*:refs/tags/*"))
              .setTagOpt(TagOpt.NO_TAGS)
              .setRemoveDeletedRefs(true)
              .setCredentialsProvider(credentials)
              .setTimeout(TIMEOUT_SECONDS)
              .call();
      for (TrackingRefUpdate update : result.getTrackingRefUpdates()) {
        RefUpdate.Result outcome = update.getResult();
        if (outcome == RefUpdate.Result.LOCK_FAILURE
            || outcome == RefUpdate.Result.IO_FAILURE
            || outcome == RefUpdate.Result.REJECTED) {
          throw new GitException(
              GitException.Kind.CORRUPT,
              "cache "
                  + dir
                  + " could not take "
                  + update.getRemoteName()
                  + " from "
                  + remote
                  + ": "
                  + outcome);
        }
      }
    } catch (InvalidRemoteException e) {
      throw new GitException(
          GitException.Kind.UNREACHABLE, "remote " + remote + " is not a git repository", e);
    } catch (TransportException e) {
      throw new GitException(
          GitException.Kind.UNREACHABLE,
          "remote " + remote + " is unreachable: " + RemoteRefs.rootMessage(e),
          e);
    } catch (GitException e) {
      throw e;
    } catch (GitAPIException | RuntimeException e) {
      throw new GitException(
          GitException.Kind.OTHER,
          "cannot fetch from " + remote + ": " + RemoteRefs.rootMessage(e),
          e);
    }
  }

  public Path dir() {
    return dir;
  }

  public String remote() {
    return remote;
  }

  /** The credentials for pushing to the remote, or null when none are configured. */
  public CredentialsProvider credentials() {
    return credentials;
  }

  public Repository repository() {
    return repo;
  }

  @Override
  public void close() {
    repo.close();
  }
}
