package dev.sluice.updater.policy;

import dev.sluice.core.git.GitException;
import dev.sluice.core.git.RemoteRef;
import dev.sluice.core.git.RemoteRefs;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyParser;
import dev.sluice.core.policy.PolicyReader;
import dev.sluice.core.policy.PolicyValidationException;
import dev.sluice.core.policy.PolicyWriter;
import dev.sluice.core.text.Show;
import dev.sluice.core.trust.TrustFile;
import dev.sluice.core.trust.Verdict;
import dev.sluice.updater.git.Workdir;
import dev.sluice.updater.state.KeyValueStore;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.revwalk.RevWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollout policy as a node sees it: {@code channels.json} on the remote's {@code
 * rollout-policy} branch, with the last valid one cached in the state database. An invalid policy
 * on the remote is never used: the node keeps the last valid one and says so. No branch at all
 * means the built-in defaults.
 */
public final class NodePolicy {

  static final String JSON = "policy.json";
  static final String COMMIT = "policy.commit";
  static final String INVALID_COMMIT = "policy.invalid_commit";
  static final String INVALID_REASON = "policy.invalid_reason";

  /**
   * The digest of the trust file the cached (or refused) policy was checked with ("none": no trust
   * file). A different trust file checks the remote's policy again.
   */
  static final String CHECKED_WITH = "policy.trust";

  private static final Logger LOG = LoggerFactory.getLogger(NodePolicy.class);

  private final KeyValueStore kv;
  private final TrustFile trust;

  public NodePolicy(KeyValueStore kv) {
    this(kv, null);
  }

  /**
   * @param trust when not null, a policy commit is used only if it carries a valid signature by a
   *     key of this trust file; an unsigned or untrusted one counts as invalid
   */
  public NodePolicy(KeyValueStore kv, TrustFile trust) {
    this.kv = kv;
    this.trust = trust;
  }

  private String checkedWith() {
    return trust == null ? "none" : trust.digest();
  }

  /** The policy in force and where it came from, with anything the operator should know. */
  public record Loaded(Policy policy, String source, List<String> warnings) {
    public Loaded {
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * The cached policy, for a run that cannot reach the remote. One that was accepted under other
   * trust files than the ones in use is not applied: its commit is checked again only when the
   * remote is reached ({@link #refresh}), so until then the built-in defaults apply.
   */
  public Loaded cached() {
    if (trust != null
        && kv.get(JSON).isPresent()
        && !kv.get(CHECKED_WITH).orElse("none").equals(checkedWith())) {
      LOG.warn(
          "not applying the cached rollout policy from {}: it was accepted under other trust"
              + " files; using built-in defaults until the remote's policy is checked",
          kv.get(COMMIT).orElse("?"));
      return new Loaded(
          Policy.defaults(),
          "built-in defaults",
          List.of(
              "the cached rollout policy was accepted under other trust files; using built-in"
                  + " defaults until the remote's policy is checked again"));
    }
    return stored();
  }

  /** The cached policy as stored, whatever it was checked with. */
  private Loaded stored() {
    Optional<String> json = kv.get(JSON);
    if (json.isEmpty()) {
      return new Loaded(Policy.defaults(), "built-in defaults", List.of());
    }
    String commit = kv.get(COMMIT).orElse("?");
    try {
      return new Loaded(PolicyParser.parse(json.get(), "cached policy"), source(commit), List.of());
    } catch (PolicyValidationException e) {
      LOG.warn(
          "cached policy from {} no longer reads ({}); using built-in defaults",
          commit,
          e.getMessage());
      return new Loaded(
          Policy.defaults(),
          "built-in defaults",
          List.of(
              "cached policy from "
                  + abbreviate(commit)
                  + " is unreadable; using built-in defaults"));
    }
  }

  /**
   * The policy the remote holds now: fetched when its branch moved, validated, cached when valid.
   * Never throws for the remote's sake: anything wrong falls back to the last valid policy.
   */
  public Loaded refresh(RemoteRefs refs, Workdir workdir, ProgressMonitor progress, Instant now) {
    Optional<RemoteRef> branch = refs.branch(Policy.BRANCH);
    if (branch.isEmpty()) {
      if (kv.get(JSON).isPresent()) {
        LOG.info("the remote has no {} branch any more; using built-in defaults", Policy.BRANCH);
        kv.delete(JSON);
        kv.delete(COMMIT);
      }
      return new Loaded(Policy.defaults(), "built-in defaults", List.of());
    }
    String tip = branch.get().commitId().name();
    Loaded cached = stored();
    boolean sameTrust = kv.get(CHECKED_WITH).orElse("none").equals(checkedWith());
    if (!sameTrust && trust != null) {
      cached = recheck(cached, workdir);
    }
    if (kv.get(COMMIT).filter(tip::equals).isPresent() && kv.get(JSON).isPresent() && sameTrust) {
      return cached;
    }
    if (kv.get(INVALID_COMMIT).filter(tip::equals).isPresent() && sameTrust) {
      return invalid(cached, tip, kv.get(INVALID_REASON).orElse("invalid"));
    }
    ObjectId fetched;
    try {
      fetched = workdir.fetch(branch.get().name(), progress);
    } catch (GitException e) {
      List<String> warnings = new ArrayList<>(cached.warnings());
      warnings.add(
          "cannot fetch the rollout policy (" + e.getMessage() + "); using " + cached.source());
      return new Loaded(cached.policy(), cached.source(), warnings);
    }
    Optional<String> untrusted = untrusted(workdir, fetched);
    if (untrusted.isPresent()) {
      String reason = untrusted.get();
      LOG.warn("refusing rollout policy {}: {}", fetched.name(), reason);
      kv.putAll(
          Map.of(
              INVALID_COMMIT, fetched.name(), INVALID_REASON, reason, CHECKED_WITH, checkedWith()),
          now);
      return invalid(cached, fetched.name(), reason);
    }
    try {
      Policy policy = PolicyReader.read(workdir.repository(), fetched);
      kv.putAll(
          Map.of(
              JSON,
              PolicyWriter.write(policy),
              COMMIT,
              fetched.name(),
              CHECKED_WITH,
              checkedWith()),
          now);
      kv.delete(INVALID_COMMIT);
      kv.delete(INVALID_REASON);
      LOG.info("rollout policy is now {} from {}", Policy.FILE, source(fetched.name()));
      return new Loaded(policy, source(fetched.name()), List.of());
    } catch (PolicyValidationException e) {
      String reason = String.join("; ", e.errors());
      LOG.warn("marking rollout policy {} invalid: {}", fetched.name(), reason);
      kv.putAll(
          Map.of(
              INVALID_COMMIT, fetched.name(), INVALID_REASON, reason, CHECKED_WITH, checkedWith()),
          now);
      return invalid(cached, fetched.name(), reason);
    }
  }

  /**
   * The cached policy under a trust file that changed: kept only while its commit is still trusted.
   * A key taken out of the trust file (it leaked, say) must not keep its policy in force as "the
   * last trusted one"; the node then runs on the built-in defaults until a trusted policy arrives.
   */
  private Loaded recheck(Loaded cached, Workdir workdir) {
    Optional<String> commit = kv.get(COMMIT);
    if (commit.isEmpty() || kv.get(JSON).isEmpty()) {
      return cached;
    }
    Optional<String> untrusted =
        ObjectId.isId(commit.get())
            ? untrusted(workdir, ObjectId.fromString(commit.get()))
            : Optional.of("untrusted: no commit id recorded");
    if (untrusted.isEmpty()) {
      return cached;
    }
    LOG.warn(
        "dropping the cached rollout policy from {}: under the trust file now in use it is {}",
        commit.get(),
        untrusted.get());
    kv.delete(JSON);
    kv.delete(COMMIT);
    return new Loaded(
        Policy.defaults(),
        "built-in defaults",
        List.of(
            "the cached rollout policy from "
                + abbreviate(commit.get())
                + " is no longer trusted ("
                + untrusted.get()
                + "); using built-in defaults"));
  }

  /** With a trust file: why the policy commit is not trusted, or empty when it is. */
  private Optional<String> untrusted(Workdir workdir, ObjectId commit) {
    if (trust == null) {
      return Optional.empty();
    }
    try (RevWalk walk = new RevWalk(workdir.repository())) {
      Verdict verdict = trust.verifyPolicy(workdir.repository(), walk.parseCommit(commit));
      if (verdict.trusted()) {
        LOG.info("rollout policy {} is {}", commit.name(), verdict.describe());
        return Optional.empty();
      }
      return Optional.of("untrusted: " + verdict.describe());
    } catch (IOException e) {
      return Optional.of("untrusted: cannot read the commit (" + e.getMessage() + ")");
    }
  }

  private static Loaded invalid(Loaded cached, String commit, String reason) {
    List<String> warnings = new ArrayList<>(cached.warnings());
    warnings.add(
        "rollout policy at "
            + abbreviate(commit)
            + " is invalid ("
            + reason
            + "); using "
            + cached.source());
    return new Loaded(cached.policy(), cached.source(), warnings);
  }

  private static String source(String commit) {
    return Policy.BRANCH + "@" + abbreviate(commit);
  }

  private static String abbreviate(String commit) {
    return Show.commit(commit);
  }
}
