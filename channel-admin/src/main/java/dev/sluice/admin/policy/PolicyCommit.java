package dev.sluice.admin.policy;

import dev.sluice.admin.git.Signing;
import dev.sluice.core.git.GitException;
import dev.sluice.core.policy.Policy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;

/** Writes a commit on {@code rollout-policy} into the cache, ready to push; no ref is changed. */
public final class PolicyCommit {

  private PolicyCommit() {}

  /**
   * An unsigned commit on top of {@code parent} (none: a root commit) with channels.json replaced.
   */
  public static ObjectId write(
      Repository repo, ObjectId parent, String text, PersonIdent who, String message) {
    return write(repo, parent, text, who, Signing.NONE, message);
  }

  /**
   * A commit on top of {@code parent} (none: a root commit) with channels.json replaced, signed as
   * the operator signs (a {@code gpgsig} header, as {@code git commit -S} writes).
   */
  public static ObjectId write(
      Repository repo,
      ObjectId parent,
      String text,
      PersonIdent who,
      Signing signing,
      String message) {
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
      if (signing.enabled()) {
        commit.setGpgSignature(signing.sign(repo, commit.build(), who, "the policy commit"));
      }
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      return id;
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.CORRUPT, "cannot write the policy commit in the cache", e);
    }
  }
}
