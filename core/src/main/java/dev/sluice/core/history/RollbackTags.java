package dev.sluice.core.history;

import dev.sluice.core.git.GitException;
import dev.sluice.core.promotion.Rollback;
import dev.sluice.core.promotion.RollbackRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;

/** Reads the rollbacks channel-admin recorded as annotated tags under {@code rollback/}. */
public final class RollbackTags {

  private RollbackTags() {}

  /**
   * Every rollback tag of a repository holding the remote's tags, newest first. Tags under {@code
   * rollback/} that are not annotated or carry no rollback record are left out.
   */
  public static List<Rollback> readAll(Repository repo) {
    List<Rollback> found = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repo)) {
      for (Ref ref :
          repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS + RollbackRecord.TAG_PREFIX)) {
        RevObject object = walk.parseAny(ref.getObjectId());
        if (object instanceof RevTag tag) {
          read(tag, ref.getName().substring(Constants.R_TAGS.length())).ifPresent(found::add);
        }
      }
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.CORRUPT, "cannot read the rollback tags in " + repo.getDirectory(), e);
    }
    found.sort(Rollback.NEWEST_FIRST);
    return found;
  }

  private static Optional<Rollback> read(RevTag tag, String name) {
    PersonIdent tagger = tag.getTaggerIdent();
    if (tagger == null) {
      return Optional.empty();
    }
    return RollbackRecord.parse(tag.getFullMessage())
        .map(
            record ->
                new Rollback(
                    name,
                    tagger.getWhenAsInstant(),
                    tagger.getName() + " <" + tagger.getEmailAddress() + ">",
                    record));
  }
}
