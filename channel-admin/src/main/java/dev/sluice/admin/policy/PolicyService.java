package dev.sluice.admin.policy;

import dev.sluice.admin.AdminException;
import dev.sluice.admin.git.AtomicPush;
import dev.sluice.admin.git.Operator;
import dev.sluice.admin.git.PushHook;
import dev.sluice.admin.git.RefChange;
import dev.sluice.admin.git.RemoteAccess;
import dev.sluice.core.channel.Channel;
import dev.sluice.core.git.ChannelTarget;
import dev.sluice.core.git.GitException;
import dev.sluice.core.git.RemoteCache;
import dev.sluice.core.git.RemoteRef;
import dev.sluice.core.history.RepositoryGitFacts;
import dev.sluice.core.lottery.ChannelChoice;
import dev.sluice.core.lottery.LotteryRules;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyWriter;
import dev.sluice.core.proof.PolicyProof;
import dev.sluice.core.rollout.ChannelHead;
import dev.sluice.core.rollout.GitFacts;
import dev.sluice.core.rollout.NodeFacts;
import dev.sluice.core.rollout.Reason;
import dev.sluice.core.rollout.RolloutDecider;
import dev.sluice.core.rollout.RolloutDecision;
import dev.sluice.core.trust.ReleaseTrust;
import dev.sluice.core.trust.TrustFile;
import dev.sluice.core.trust.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and edits the rollout policy on a remote. Every edit is one commit on {@code
 * rollout-policy} (the branch is created, holding only {@code channels.json}, when missing), its
 * message saying what changed and why. Before anything is pushed, the new file is read back from
 * its bytes and {@link PolicyProof} runs every decision over it, so a policy that any program could
 * not load or apply is refused (exit 2, naming the field); the push is atomic and guarded by the
 * tip we read, so a concurrent edit makes ours fail with nothing changed.
 */
public final class PolicyService {

  private static final Logger LOG = LoggerFactory.getLogger(PolicyService.class);

  private final Clock clock;
  private final Supplier<Operator> operator;
  private final PushHook hook;

  public PolicyService(Clock clock, Supplier<Operator> operator, PushHook hook) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.operator = Objects.requireNonNull(operator, "operator");
    this.hook = Objects.requireNonNull(hook, "hook");
  }

  /** Fetches the remote and reads its policy (valid or not). */
  public PolicySnapshot read(RemoteAccess access) {
    try (RemoteCache cache = access.openFetched()) {
      return PolicySnapshot.read(cache.repository(), access.remote());
    }
  }

  /**
   * Applies one edit to the remote's policy as one commit.
   *
   * @throws dev.sluice.core.policy.PolicyValidationException when the remote's policy is invalid
   *     (fix it first) or the edit would make it invalid
   * @throws dev.sluice.admin.AdminException.PushRejected when someone else moved the branch
   */
  public PolicyEditResult edit(RemoteAccess access, PolicyChange change) {
    try (RemoteCache cache = access.openFetched()) {
      Repository repo = cache.repository();
      PolicySnapshot snapshot = PolicySnapshot.read(repo, access.remote());
      Policy current = snapshot.require();
      PolicyChange.Edit edit;
      try {
        edit = change.apply(current, new RepositoryGitFacts(repo));
      } catch (IllegalArgumentException e) {
        throw new AdminException.Usage("the edit cannot apply: " + e.getMessage());
      }
      String text = PolicyWriter.write(edit.policy());
      Policy checked =
          PolicyProof.require(
              text.getBytes(StandardCharsets.UTF_8),
              clock.instant(),
              Policy.FILE + " to be pushed");
      String previous = snapshot.commit() == null ? null : snapshot.commit().name();
      if (checked.equals(current)) {
        return new PolicyEditResult(
            access.remote(),
            PolicyEditResult.UNCHANGED,
            previous,
            null,
            edit.subject(),
            edit.details(),
            "nothing to change: " + edit.unchanged(),
            PolicyWriter.toTree(current));
      }
      String message = message(edit);
      ObjectId commit =
          PolicyCommit.write(
              repo,
              snapshot.commit(),
              text,
              operator.get().at(clock.instant()),
              operator.get().signing(),
              message);
      List<RefChange> changes =
          List.of(RefChange.move(Constants.R_HEADS + Policy.BRANCH, previous, commit, false));
      hook.beforePush(changes);
      AtomicPush.push(cache, changes);
      LOG.info("policy of {} now at {}: {}", access.remote(), commit.name(), edit.subject());
      return new PolicyEditResult(
          access.remote(),
          PolicyEditResult.COMMITTED,
          previous,
          commit.name(),
          edit.subject(),
          edit.details(),
          edit.subject() + " (" + Policy.BRANCH + " " + commit.abbreviate(8).name() + ")",
          PolicyWriter.toTree(checked));
    }
  }

  /**
   * What a node with these facts would do now, by the same decision node-updater makes.
   *
   * @throws dev.sluice.core.policy.PolicyValidationException when the remote's policy is invalid
   * @throws dev.sluice.admin.AdminException.Usage when {@code --current} is not on the remote
   * @throws GitException {@code MISSING_REF} when the channel's branch or tag is missing
   */
  public ExplainResult explain(RemoteAccess access, ExplainRequest request) {
    return explain(access, request, null);
  }

  /**
   * What a node with these facts and this trust file would do now: a move to a target without a
   * trusted signature is a hold with reason {@code untrusted}, and an untrusted policy is named.
   */
  public ExplainResult explain(RemoteAccess access, ExplainRequest request, TrustFile trust) {
    try (RemoteCache cache = access.openFetched()) {
      Repository repo = cache.repository();
      PolicySnapshot snapshot = PolicySnapshot.read(repo, access.remote());
      Policy policy = snapshot.require();
      GitFacts git = new RepositoryGitFacts(repo);
      ObjectId current = null;
      if (request.current() != null) {
        current =
            git.resolve(request.current())
                .orElseThrow(
                    () ->
                        new AdminException.Usage(
                            "--current '"
                                + request.current()
                                + "' is not a commit, tag or ref on "
                                + access.remote()));
      }
      LotteryRules.Weight weight = policy.lottery().weightFor(request.groups());
      ChannelChoice.Pick pick =
          new ChannelChoice(Optional.ofNullable(request.channel()), false)
              .pick(request.ticket(), weight);
      boolean wins = pick.wins();
      Channel channel = pick.channel();
      ChannelTarget target =
          ChannelTarget.resolve(channel, policy.spec(channel), CacheRefs.of(repo, access.remote()));
      ChannelHead head = ChannelHead.of(target);
      Instant now = clock.instant();
      RolloutDecision decision =
          RolloutDecider.decide(
              policy,
              head,
              new NodeFacts(
                  request.nodeId(),
                  new HashSet<>(request.groups()),
                  request.ticket(),
                  current,
                  Map.of()),
              git,
              now);
      Reason reason = decision.reason();
      ExplainResult.Decision said =
          new ExplainResult.Decision(
              decision.verdict().name().toLowerCase(Locale.ROOT),
              decision.ref(),
              decision.commit().name(),
              reason == null
                  ? null
                  : new ExplainResult.Reason(reason.code(), reason.text(), reason.retryAt()),
              decision.describe());
      String trustNote = null;
      if (trust != null) {
        List<String> notes = new ArrayList<>();
        if (snapshot.commit() != null) {
          Verdict policyVerdict = verifyPolicy(trust, repo, snapshot.commit());
          notes.add(
              "policy "
                  + snapshot.commit().abbreviate(10).name()
                  + " "
                  + policyVerdict.describe()
                  + (policyVerdict.trusted()
                      ? ""
                      : " (nodes with this trust file ignore it and keep their last trusted"
                          + " policy)"));
        }
        if (decision.moves()) {
          ReleaseTrust.Decision signed =
              ReleaseTrust.check(
                  trust, repo, decision.commit(), tagsNaming(repo, decision.commit()));
          notes.add(signed.summary());
          if (!signed.trusted()) {
            String text = "not moving to " + decision.ref() + ": " + signed.summary();
            said =
                new ExplainResult.Decision(
                    "hold",
                    decision.ref(),
                    decision.commit().name(),
                    new ExplainResult.Reason(dev.sluice.core.rollout.Reason.UNTRUSTED, text, null),
                    "hold (" + dev.sluice.core.rollout.Reason.UNTRUSTED + "): " + text);
          }
        }
        trustNote = String.join("; ", notes);
      }
      return new ExplainResult(
          access.remote(),
          snapshot.source(),
          now,
          new ExplainResult.Node(
              request.nodeId(),
              request.ticket(),
              request.groups(),
              current == null ? null : current.name()),
          new ExplainResult.Lottery(
              weight.value(), weight.source(), wins, request.channel() != null),
          channel.id(),
          new ExplainResult.Target(head.ref(), head.commit().name(), head.version()),
          said,
          trustNote);
    }
  }

  private static Verdict verifyPolicy(TrustFile trust, Repository repo, ObjectId commit) {
    try (RevWalk walk = new RevWalk(repo)) {
      return trust.verifyPolicy(repo, walk.parseCommit(commit));
    } catch (IOException e) {
      return Verdict.untrusted(null, "cannot read " + commit.name() + ": " + e.getMessage());
    }
  }

  /** The annotated tags in the cache that name the commit, by short name. */
  private static Map<String, ObjectId> tagsNaming(Repository repo, ObjectId commit) {
    Map<String, ObjectId> tags = new HashMap<>();
    for (RemoteRef ref : CacheRefs.of(repo, "cache").all()) {
      if (ref.name().startsWith(Constants.R_TAGS)
          && ref.peeledId() != null
          && ref.commitId().equals(commit)) {
        tags.put(ref.name().substring(Constants.R_TAGS.length()), ref.objectId());
      }
    }
    return tags;
  }

  static String message(PolicyChange.Edit edit) {
    StringBuilder message = new StringBuilder(edit.subject()).append('\n');
    if (!edit.details().isEmpty()) {
      message.append('\n');
      edit.details().forEach(line -> message.append(line).append('\n'));
    }
    return message.toString();
  }
}
