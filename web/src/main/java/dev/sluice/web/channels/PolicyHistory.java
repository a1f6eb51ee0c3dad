package dev.sluice.web.channels;

import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyParser;
import dev.sluice.core.policy.PolicyReader;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The recent history of the {@code rollout-policy} branch, newest first, to say since when and by
 * whom an entry of the policy in force holds (a pause, a dead-end, a freeze, a phased rollout): the
 * oldest commit of the unbroken run of commits, ending at the tip, whose policy has it. Every
 * policy edit is one commit whose author is the operator and whose author time is when the edit was
 * made, so that commit says both.
 */
final class PolicyHistory {

  /** How far back the branch is read (first parents only). */
  static final int LIMIT = 200;

  private static final PolicyHistory EMPTY = new PolicyHistory(List.of(), true);

  private record Entry(ObjectId commit, Instant time, String by, Policy policy) {}

  private final List<Entry> entries;

  /** Whether the walk reached the branch's first commit (else it stopped at {@link #LIMIT}). */
  private final boolean complete;

  private PolicyHistory(List<Entry> entries, boolean complete) {
    this.entries = List.copyOf(entries);
    this.complete = complete;
  }

  /** No history: nothing can be dated. */
  static PolicyHistory empty() {
    return EMPTY;
  }

  /**
   * Reads up to {@link #LIMIT} commits back from {@code tip}; a commit whose policy cannot be read
   * counts as a policy that holds nothing.
   */
  static PolicyHistory read(Repository repository, ObjectId tip) throws IOException {
    List<Entry> entries = new ArrayList<>();
    boolean complete = true;
    try (RevWalk walk = new RevWalk(repository)) {
      walk.setFirstParent(true);
      walk.markStart(walk.parseCommit(tip));
      for (RevCommit commit = walk.next(); commit != null; commit = walk.next()) {
        if (entries.size() == LIMIT) {
          complete = false;
          break;
        }
        PersonIdent author = commit.getAuthorIdent();
        entries.add(
            new Entry(
                commit.copy(),
                author.getWhenAsInstant(),
                author.getName() + " <" + author.getEmailAddress() + ">",
                policyAt(repository, commit)));
      }
    }
    return new PolicyHistory(entries, complete);
  }

  private static Policy policyAt(Repository repository, ObjectId commit) {
    try {
      return PolicyReader.text(repository, commit)
          .map(text -> PolicyParser.parse(text, PolicyReader.source(commit)))
          .orElse(null);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * The commit that made {@code holds} true for the policy at the tip: the oldest of the commits,
   * from the tip back, whose policies all satisfy it. Empty when the tip's policy does not, or when
   * the whole walk satisfies it but stopped before the branch's first commit (the start is older
   * than what was read).
   */
  Optional<ChannelsView.Since> since(Predicate<Policy> holds) {
    Entry oldest = null;
    for (Entry entry : entries) {
      if (entry.policy() == null || !holds.test(entry.policy())) {
        return Optional.ofNullable(oldest).map(PolicyHistory::since);
      }
      oldest = entry;
    }
    return complete ? Optional.ofNullable(oldest).map(PolicyHistory::since) : Optional.empty();
  }

  private static ChannelsView.Since since(Entry entry) {
    return new ChannelsView.Since(
        Objects.requireNonNull(entry).commit().name(), entry.time(), entry.by());
  }
}
