package dev.sluice.admin.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/** Test helpers that act like another operator with their own clone, and read the remote. */
final class Remotes {

  private Remotes() {}

  /** Clones the remote, commits a file on a branch and pushes it: another operator at work. */
  static ObjectId pushFromAnotherClone(String uri, Path dir, String branch, String file) {
    try (Git git =
        Git.cloneRepository().setURI(uri).setDirectory(dir.toFile()).setBranch(branch).call()) {
      Files.writeString(dir.resolve(file), "from another operator\n");
      git.add().addFilepattern(file).call();
      PersonIdent who =
          new PersonIdent(
              "Other Operator",
              "other@ops.invalid",
              Instant.parse("2026-06-01T00:00:00Z"),
              ZoneOffset.UTC);
      ObjectId id =
          git.commit().setMessage("concurrent change").setAuthor(who).setCommitter(who).call();
      for (PushResult result : git.push().setRemote("origin").add(branch).call()) {
        for (RemoteRefUpdate update : result.getRemoteUpdates()) {
          if (update.getStatus() != RemoteRefUpdate.Status.OK) {
            throw new IllegalStateException("other operator's push failed: " + update);
          }
        }
      }
      return id;
    } catch (GitAPIException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The tag object of an annotated tag on the remote, or null when the tag is missing. */
  static RevTag annotatedTag(org.eclipse.jgit.lib.Repository repo, String name) {
    try (RevWalk walk = new RevWalk(repo)) {
      Ref ref = repo.exactRef("refs/tags/" + name);
      if (ref == null) {
        return null;
      }
      RevObject object = walk.parseAny(ref.getObjectId());
      return object instanceof RevTag tag ? tag : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean hasTag(org.eclipse.jgit.lib.Repository repo, String name) {
    try {
      return repo.exactRef("refs/tags/" + name) != null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
