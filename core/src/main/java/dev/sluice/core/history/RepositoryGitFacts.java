package dev.sluice.core.history;

import dev.sluice.core.git.GitException;
import dev.sluice.core.rollout.GitFacts;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * {@link GitFacts} over a local JGit repository (a node's clone, channel-admin's fetched copy).
 * Refs are resolved the way git does ({@code v5.1.0} finds {@code refs/tags/v5.1.0}), tags are
 * peeled to their commit, and unknown refs or objects are simply absent.
 */
public final class RepositoryGitFacts implements GitFacts {

  private final Repository repository;

  public RepositoryGitFacts(Repository repository) {
    this.repository = Objects.requireNonNull(repository, "repository");
  }

  @Override
  public Optional<ObjectId> resolve(String ref) {
    try (RevWalk walk = new RevWalk(repository)) {
      ObjectId id = repository.resolve(ref);
      if (id == null) {
        return Optional.empty();
      }
      return Optional.of(walk.parseCommit(id).copy());
    } catch (AmbiguousObjectException
        | MissingObjectException
        | IncorrectObjectTypeException
        | RevisionSyntaxException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.CORRUPT, "cannot resolve '" + ref + "' in " + repository, e);
    }
  }

  @Override
  public boolean related(ObjectId a, ObjectId b) {
    return related(repository, a, b);
  }

  /**
   * False only when both commits' histories are complete in {@code repo} (no shallow boundary) and
   * have no merge base; true when they share a commit or when it cannot be told.
   */
  public static boolean related(Repository repo, ObjectId a, ObjectId b) {
    return CommonHistory.related(repo, a, b);
  }

  @Override
  public boolean isAncestor(ObjectId ancestor, ObjectId descendant) {
    try (RevWalk walk = new RevWalk(repository)) {
      return walk.isMergedInto(walk.parseCommit(ancestor), walk.parseCommit(descendant));
    } catch (MissingObjectException | IncorrectObjectTypeException e) {
      return false;
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.CORRUPT,
          "cannot compare " + ancestor.name() + " and " + descendant.name() + " in " + repository,
          e);
    }
  }
}
