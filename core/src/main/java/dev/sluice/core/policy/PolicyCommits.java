package dev.sluice.core.policy;

import dev.sluice.core.git.GitException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.GpgSignature;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Writes a commit on {@code rollout-policy} into a repository, ready to push; no ref moves. The one
 * way channel-admin's edits and fleet-web's guard make a policy commit.
 */
public final class PolicyCommits {

  /** Signs a commit's raw bytes (a {@code gpgsig} header, as {@code git commit -S} writes). */
  @FunctionalInterface
  public interface Signer {
    /** The signature; failures are unchecked and name the key and the cause. */
    GpgSignature sign(byte[] data);
  }

  private PolicyCommits() {}

  /**
   * A commit on top of {@code parent} (none: a root commit) with {@value Policy#FILE} replaced by
   * {@code text}, author and committer {@code who}.
   *
   * @param signer signs the commit, or null for an unsigned one
   * @throws GitException {@code CORRUPT} when the repository cannot be read or written
   */
  public static ObjectId write(
      Repository repo,
      ObjectId parent,
      String text,
      PersonIdent who,
      String message,
      Signer signer) {
    try (ObjectInserter inserter = repo.newObjectInserter();
        ObjectReader reader = repo.newObjectReader();
        RevWalk walk = new RevWalk(reader)) {
      DirCache index = DirCache.newInCore();
      if (parent != null) {
        DirCacheBuilder builder = index.builder();
        builder.addTree(new byte[0], 0, reader, walk.parseCommit(parent).getTree());
        builder.finish();
      }
      ObjectId blob = inserter.insert(Constants.OBJ_BLOB, text.getBytes(StandardCharsets.UTF_8));
      DirCacheEditor editor = index.editor();
      editor.add(
          new DirCacheEditor.PathEdit(Policy.FILE) {
            @Override
            public void apply(DirCacheEntry entry) {
              entry.setFileMode(FileMode.REGULAR_FILE);
              entry.setObjectId(blob);
            }
          });
      editor.finish();
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(index.writeTree(inserter));
      if (parent != null) {
        commit.setParentId(parent);
      }
      commit.setAuthor(who);
      commit.setCommitter(who);
      commit.setMessage(message);
      if (signer != null) {
        commit.setGpgSignature(signer.sign(commit.build()));
      }
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      return id;
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.CORRUPT, "cannot write the policy commit in " + repo.getDirectory(), e);
    }
  }
}
