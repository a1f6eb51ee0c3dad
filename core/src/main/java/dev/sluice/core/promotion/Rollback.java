package dev.sluice.core.promotion;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.sluice.core.git.GitException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * A rollback as read back from its annotated tag.
 *
 * @param tag the short tag name, e.g. {@code rollback/stable/20261129T183000Z}
 * @param time the tagger time: when the rollback was pushed
 * @param tagger who made it ({@code Name <email>})
 * @param record what the tag's trailers say
 */
@JsonPropertyOrder({"tag", "time", "tagger", "record"})
public record Rollback(String tag, Instant time, String tagger, RollbackRecord record) {

  /** Newest first, then by tag name. */
  public static final Comparator<Rollback> NEWEST_FIRST =
      Comparator.comparing(Rollback::time).thenComparing(Rollback::tag).reversed();

  public Rollback {
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(record, "record");
  }

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
    found.sort(NEWEST_FIRST);
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
