package dev.sluice.core.policy;

import dev.sluice.core.git.GitException;
import dev.sluice.core.text.Show;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Reads {@code channels.json} from a commit of the {@code rollout-policy} branch in a local JGit
 * repository (a node's clone after fetching the branch, or channel-admin's scratch repository).
 *
 * <p>The caller decides what "no branch at all" means (the built-in defaults, {@link
 * Policy#defaults()}); a branch that exists but has no {@code channels.json}, or an invalid one, is
 * a {@link PolicyValidationException} naming the commit.
 */
public final class PolicyReader {

  /** The biggest policy file read: anything larger is not a hand-edited policy. */
  public static final int MAX_BYTES = 1 << 20;

  private PolicyReader() {}

  /**
   * The policy at a commit of the policy branch.
   *
   * @throws PolicyValidationException when the file is missing or invalid, naming the commit
   * @throws GitException {@code MISSING_REF} when the commit is not in the repository, {@code
   *     CORRUPT} when it cannot be read
   */
  public static Policy read(Repository repository, ObjectId commit) {
    String source = source(commit);
    String text =
        text(repository, commit)
            .orElseThrow(
                () ->
                    new PolicyValidationException(
                        source,
                        List.of(
                            "(document): the commit has no "
                                + Policy.FILE
                                + "; the "
                                + Policy.BRANCH
                                + " branch must hold it at its root")));
    return PolicyParser.parse(text, source);
  }

  /**
   * The policy at the tip of a ref such as {@code refs/heads/rollout-policy} or {@code
   * refs/remotes/origin/rollout-policy}; empty when the ref does not exist (use the defaults).
   *
   * @throws PolicyValidationException when the file is missing or invalid, naming the commit
   */
  public static Optional<Policy> readRef(Repository repository, String refName) {
    try {
      Ref ref = repository.exactRef(refName);
      if (ref == null || ref.getObjectId() == null) {
        return Optional.empty();
      }
      return Optional.of(read(repository, ref.getObjectId()));
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.CORRUPT, "cannot read " + refName + ": " + e.getMessage(), e);
    }
  }

  /**
   * The raw text of {@code channels.json} at a commit, empty when the commit has no such file.
   *
   * @throws PolicyValidationException when the file is larger than {@link #MAX_BYTES}
   * @throws GitException {@code MISSING_REF} when the commit is not in the repository, {@code
   *     CORRUPT} when it cannot be read
   */
  public static Optional<String> text(Repository repository, ObjectId commit) {
    try (ObjectReader reader = repository.newObjectReader();
        RevWalk walk = new RevWalk(reader)) {
      RevCommit parsed = walk.parseCommit(commit);
      try (TreeWalk tree = TreeWalk.forPath(reader, Policy.FILE, parsed.getTree())) {
        if (tree == null || (tree.getRawMode(0) & FileMode.TYPE_MASK) != FileMode.TYPE_FILE) {
          return Optional.empty();
        }
        ObjectLoader loader = reader.open(tree.getObjectId(0));
        if (loader.getSize() > MAX_BYTES) {
          throw new PolicyValidationException(
              source(commit),
              List.of(
                  "(document): "
                      + loader.getSize()
                      + " bytes is more than a policy file may hold ("
                      + MAX_BYTES
                      + ")"));
        }
        return Optional.of(new String(loader.getCachedBytes(MAX_BYTES), StandardCharsets.UTF_8));
      }
    } catch (MissingObjectException e) {
      throw new GitException(
          GitException.Kind.MISSING_REF,
          "policy commit " + commit.name() + " is not in " + repository,
          e);
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.CORRUPT,
          "cannot read " + Policy.FILE + " at " + commit.name() + ": " + e.getMessage(),
          e);
    }
  }

  /** How a policy read from a commit is named in messages. */
  public static String source(ObjectId commit) {
    return Policy.FILE + " at " + Policy.BRANCH + " " + Show.commit(commit);
  }
}
