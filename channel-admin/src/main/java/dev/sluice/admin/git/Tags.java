package dev.sluice.admin.git;

import dev.sluice.core.git.GitException;
import java.io.IOException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;

/** Writes annotated tag objects into the cache, ready to push; no ref is changed locally. */
public final class Tags {

  private Tags() {}

  /** Inserts an unsigned annotated tag object for a commit and returns its id. */
  public static ObjectId annotated(
      Repository repo, String name, ObjectId commit, PersonIdent tagger, String message) {
    return annotated(repo, name, commit, tagger, Signing.NONE, message);
  }

  /**
   * Inserts an annotated tag object for a commit, signed as the operator signs (the signature is
   * appended to the message, as {@code git tag -s} does), and returns its id.
   */
  public static ObjectId annotated(
      Repository repo,
      String name,
      ObjectId commit,
      PersonIdent tagger,
      Signing signing,
      String message) {
    try (ObjectInserter inserter = repo.newObjectInserter()) {
      TagBuilder tag = new TagBuilder();
      tag.setTag(name);
      tag.setObjectId(commit, Constants.OBJ_COMMIT);
      tag.setTagger(tagger);
      tag.setMessage(message);
      if (signing.enabled()) {
        tag.setGpgSignature(signing.sign(repo, tag.build(), tagger, "tag " + name));
      }
      ObjectId id = inserter.insert(tag);
      inserter.flush();
      return id;
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.CORRUPT,
          "cannot write tag " + name + " into the cache " + repo.getDirectory(),
          e);
    }
  }
}
