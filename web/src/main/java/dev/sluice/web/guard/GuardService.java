package dev.sluice.web.guard;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.git.ChannelTarget;
import dev.sluice.core.git.GitException;
import dev.sluice.core.git.RemoteCache;
import dev.sluice.core.git.RemoteRef;
import dev.sluice.core.git.RemoteRefs;
import dev.sluice.core.git.RemoteUrls;
import dev.sluice.core.guard.GuardEvaluator;
import dev.sluice.core.guard.GuardTrip;
import dev.sluice.core.guard.GuardVerdict;
import dev.sluice.core.guard.Observation;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyReader;
import dev.sluice.core.policy.PolicyValidationException;
import dev.sluice.core.policy.PolicyWriter;
import dev.sluice.core.proof.PolicyProof;
import dev.sluice.web.fleet.GuardQueries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each channel's guard continuously: every {@code interval} it fetches the remote, reads the
 * policy and the channels' targets, asks the stored reports what they say about each target, and
 * judges them with core's {@link GuardEvaluator}. When a guard trips it pushes the action as one
 * commit on {@code rollout-policy} whose message carries the evidence, as a compare-and-swap on the
 * tip it read: if the push is refused (another fleet-web, or an operator, moved the branch) it
 * reads the remote again and judges again, so a trip that someone else already recorded is not
 * recorded twice.
 */
public final class GuardService implements AutoCloseable {

  /** How often the guard looks, by default. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

  /** How often a refused push is retried within one check. */
  static final int ATTEMPTS = 3;

  private static final Logger LOG = LoggerFactory.getLogger(GuardService.class);

  /**
   * Where the guard reads and writes.
   *
   * @param remote the remote it reads (the dashboard's {@code --remote})
   * @param readCredentials credentials for reading, or null
   * @param pushUrl where it pushes (usually the same remote)
   * @param pushCredentials credentials for pushing, given to fleet-web for this only, or null
   * @param cacheDir its own mirror of the remote (safe to delete)
   * @param name the committer name of the guard's commits
   * @param email the committer e-mail of the guard's commits
   * @param act whether a trip is pushed; without, the guard only judges (and notifications run)
   * @param signKey the SSH private key file its commits are signed with (nodes with a trust file
   *     apply only a signed policy), or null for unsigned commits
   */
  public record Settings(
      String remote,
      CredentialsProvider readCredentials,
      String pushUrl,
      CredentialsProvider pushCredentials,
      Path cacheDir,
      String name,
      String email,
      boolean act,
      Path signKey) {
    public Settings {
      Objects.requireNonNull(remote, "remote");
      Objects.requireNonNull(pushUrl, "pushUrl");
      Objects.requireNonNull(cacheDir, "cacheDir");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(email, "email");
    }
  }

  private final Settings settings;
  private final GuardQueries queries;
  private final Clock clock;
  private final GuardListener listener;
  private volatile GuardReport last;
  private ScheduledExecutorService timer;
  private Runnable beforePush = () -> {};

  /**
   * @param listener told what the guard sees and does (for notifications)
   */
  public GuardService(
      Settings settings, GuardQueries queries, Clock clock, GuardListener listener) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.queries = Objects.requireNonNull(queries, "queries");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.last = GuardReport.notYet(RemoteUrls.redact(settings.remote()));
  }

  /** Checks every {@code interval} on a daemon thread, the first check at once. */
  public synchronized void start(Duration interval) {
    if (timer != null) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "fleet-guard");
              thread.setDaemon(true);
              return thread;
            });
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            check();
          } catch (RuntimeException e) {
            LOG.error("guard check failed: {}", e.toString());
          }
        },
        0,
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Runs {@code hook} just before each push (tests: another instance pushes first). */
  synchronized void beforePush(Runnable hook) {
    this.beforePush = Objects.requireNonNull(hook, "hook");
  }

  /** The outcome of the last check. */
  public GuardReport status() {
    return last;
  }

  /**
   * One check of every channel; pushes at most one commit per tripped channel.
   *
   * @return what the guard concluded, also kept for {@link #status()}
   */
  public synchronized GuardReport check() {
    // Whole seconds: the time lands in the policy, the commit message and the evidence boundary.
    Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String shown = RemoteUrls.redact(settings.remote());
    try (RemoteCache cache =
        RemoteCache.open(settings.cacheDir(), settings.remote(), settings.readCredentials())) {
      for (int attempt = 1; ; attempt++) {
        cache.fetch();
        Repository repo = cache.repository();
        ObjectId tip = tip(repo);
        Policy policy = tip == null ? Policy.defaults() : PolicyReader.read(repo, tip);
        RemoteState state = state(repo, shown, policy, now);
        listener.state(state);
        List<GuardReport.ChannelGuard> channels = new ArrayList<>();
        boolean retry = false;
        for (Channel channel : Channel.values()) {
          ChannelTarget target = state.targets().get(channel);
          if (target == null) {
            channels.add(GuardReport.ChannelGuard.missing(channel, policy));
            continue;
          }
          String commit = target.commit().name();
          String label = RemoteState.label(target);
          Instant from = policy.channel(channel).guard().evidenceFrom(now);
          List<Observation> observations = queries.observations(channel.id(), commit, from);
          GuardVerdict verdict =
              GuardEvaluator.evaluate(policy, channel, commit, label, observations, now);
          listener.verdict(channel, label, verdict);
          if (!verdict.tripped() || !settings.act()) {
            channels.add(GuardReport.ChannelGuard.of(channel, label, verdict, policy, null));
            continue;
          }
          GuardTrip trip = new GuardTrip(channel, verdict, label, now);
          Policy after = trip.apply(policy);
          String text = PolicyWriter.write(after);
          PolicyProof.require(
              text.getBytes(StandardCharsets.UTF_8),
              now,
              Policy.FILE + " to be pushed by the guard");
          ObjectId pushed;
          try {
            beforePush.run();
            pushed =
                PolicyPush.commitAndPush(
                    repo,
                    tip,
                    text,
                    new PersonIdent(
                        settings.name(),
                        settings.email(),
                        java.util.Date.from(now),
                        TimeZone.getTimeZone("UTC")),
                    trip.message(policy),
                    settings.signKey(),
                    settings.pushUrl(),
                    settings.pushCredentials());
          } catch (PolicyPush.Rejected e) {
            if (attempt >= ATTEMPTS) {
              throw e;
            }
            LOG.info("guard of {}: {}; reading the remote again", channel, e.getMessage());
            retry = true;
            break;
          }
          LOG.warn(
              "guard of {} tripped: {} ({} {} {})",
              channel,
              trip.subject(policy),
              Policy.BRANCH,
              pushed.abbreviate(8).name(),
              shown);
          listener.tripped(trip, policy, pushed.name());
          policy = after;
          tip = pushed;
          listener.state(new RemoteState(now, policy, state.targets(), state.rollbackTags()));
          channels.add(GuardReport.ChannelGuard.of(channel, label, verdict, policy, pushed.name()));
        }
        if (retry) {
          continue;
        }
        last = new GuardReport(shown, now, null, channels);
        return last;
      }
    } catch (GitException | PolicyValidationException | PolicyPush.Rejected e) {
      String reason = RemoteUrls.redactIn(e.getMessage());
      if (!Objects.equals(last.error(), reason)) {
        LOG.warn("guard: {}", reason);
      }
      last = new GuardReport(shown, now, reason, last.channels());
      return last;
    }
  }

  private static ObjectId tip(Repository repo) {
    try {
      Ref ref = repo.exactRef(Constants.R_HEADS + Policy.BRANCH);
      return ref == null ? null : ref.getObjectId();
    } catch (IOException e) {
      throw new GitException(GitException.Kind.CORRUPT, "cannot read the guard's cache", e);
    }
  }

  private static RemoteState state(Repository repo, String remote, Policy policy, Instant now) {
    List<RemoteRef> refs = new ArrayList<>();
    Set<String> rollbacks = new HashSet<>();
    try {
      for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS, Constants.R_TAGS)) {
        Ref peeled = repo.getRefDatabase().peel(ref);
        if (ref.getObjectId() != null) {
          refs.add(new RemoteRef(ref.getName(), ref.getObjectId(), peeled.getPeeledObjectId()));
        }
        if (ref.getName().startsWith(Constants.R_TAGS + "rollback/")) {
          rollbacks.add(ref.getName().substring(Constants.R_TAGS.length()));
        }
      }
    } catch (IOException e) {
      throw new GitException(GitException.Kind.CORRUPT, "cannot list the guard's cache", e);
    }
    RemoteRefs remoteRefs = new RemoteRefs(remote, refs);
    Map<Channel, ChannelTarget> targets = new EnumMap<>(Channel.class);
    for (Channel channel : Channel.values()) {
      try {
        targets.put(channel, ChannelTarget.resolve(channel, policy.spec(channel), remoteRefs));
      } catch (GitException e) {
        // A channel without its branch or tag has nothing to guard.
      }
    }
    return new RemoteState(now, policy, targets, rollbacks);
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
