package dev.sluice.core.rollout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;

/** A commit graph and tag table in memory: the {@link GitFacts} of the decision tests. */
final class FakeHistory implements GitFacts {

  private final Map<String, ObjectId> refs = new HashMap<>();
  private final Map<ObjectId, List<ObjectId>> parents = new HashMap<>();

  /** A commit with a made-up id derived from its name. */
  ObjectId commit(String name, ObjectId... parentIds) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1").digest(name.getBytes(StandardCharsets.UTF_8));
      ObjectId id = ObjectId.fromRaw(digest);
      parents.put(id, List.of(parentIds));
      return id;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Names a commit, like a tag: {@code v5.1.0} and {@code refs/tags/v5.1.0} both resolve. */
  FakeHistory tag(String name, ObjectId commit) {
    refs.put(name, commit);
    refs.put("refs/tags/" + name, commit);
    return this;
  }

  @Override
  public Optional<ObjectId> resolve(String ref) {
    if (refs.containsKey(ref)) {
      return Optional.of(refs.get(ref));
    }
    return parents.keySet().stream().filter(id -> id.name().startsWith(ref)).findFirst();
  }

  @Override
  public boolean isAncestor(ObjectId ancestor, ObjectId descendant) {
    if (!parents.containsKey(ancestor) || !parents.containsKey(descendant)) {
      return false;
    }
    Deque<ObjectId> todo = new ArrayDeque<>(List.of(descendant));
    Set<ObjectId> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      ObjectId next = todo.pop();
      if (next.equals(ancestor)) {
        return true;
      }
      if (seen.add(next)) {
        todo.addAll(parents.getOrDefault(next, List.of()));
      }
    }
    return false;
  }

  @Override
  public boolean related(ObjectId a, ObjectId b) {
    Set<ObjectId> left = ancestors(a);
    left.retainAll(ancestors(b));
    return !left.isEmpty();
  }

  private Set<ObjectId> ancestors(ObjectId tip) {
    Set<ObjectId> seen = new HashSet<>();
    Deque<ObjectId> todo = new ArrayDeque<>(List.of(tip));
    while (!todo.isEmpty()) {
      ObjectId next = todo.pop();
      if (seen.add(next)) {
        todo.addAll(parents.getOrDefault(next, List.of()));
      }
    }
    return seen;
  }
}
