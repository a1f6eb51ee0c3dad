package dev.sluice.admin.release;

import com.github.zafarkhaja.semver.Version;
import dev.sluice.admin.AdminException;
import dev.sluice.admin.git.AtomicPush;
import dev.sluice.admin.git.Operator;
import dev.sluice.admin.git.PushHook;
import dev.sluice.admin.git.RefChange;
import dev.sluice.admin.git.RemoteAccess;
import dev.sluice.admin.git.Tags;
import dev.sluice.core.channel.Channel;
import dev.sluice.core.channel.ChannelSpec;
import dev.sluice.core.git.GitException;
import dev.sluice.core.git.RemoteCache;
import dev.sluice.core.history.ChannelStatusReader;
import dev.sluice.core.promotion.ChannelState;
import dev.sluice.core.promotion.Release;
import dev.sluice.core.promotion.ReleaseRecord;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts a preprod release: moves the preprod branch to a commit (fast-forward only unless forced)
 * and creates the annotated release tag whose tagger time starts the soak, in one atomic push.
 */
public final class ReleaseService {

  private static final Logger LOG = LoggerFactory.getLogger(ReleaseService.class);

  private final ChannelSpec stable;
  private final ChannelSpec preprod;
  private final Clock clock;
  private final Supplier<Operator> operator;
  private final PushHook hook;

  public ReleaseService(
      ChannelSpec stable,
      ChannelSpec preprod,
      Clock clock,
      Supplier<Operator> operator,
      PushHook hook) {
    this.stable = Objects.requireNonNull(stable, "stable");
    this.preprod = Objects.requireNonNull(preprod, "preprod");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.operator = Objects.requireNonNull(operator, "operator");
    this.hook = Objects.requireNonNull(hook, "hook");
  }

  /**
   * A service for the built-in layout ({@code master}/{@code v*}, {@code preprod}/{@code v*_pre}).
   */
  public static ReleaseService withDefaultChannels(
      Clock clock, Supplier<Operator> operator, PushHook hook) {
    return new ReleaseService(
        ChannelSpec.defaultFor(Channel.STABLE),
        ChannelSpec.defaultFor(Channel.PREPROD),
        clock,
        operator,
        hook);
  }

  /**
   * Releases {@code request.from()} to preprod as {@code request.version()}.
   *
   * @throws AdminException.Usage when the version is not semver or the ref does not exist
   * @throws AdminException.Refused listing every reason: tag exists, not newer, not a fast-forward
   * @throws AdminException.PushRejected when the remote moved between our fetch and our push
   */
  public ReleaseResult release(RemoteAccess access, ReleaseRequest request) {
    Version version = Versions.parse(request.version(), "VERSION");
    String tag = preprod.tagPattern().tagFor(version);
    String stableTag = stable.tagPattern().tagFor(version);
    for (String name : List.of(tag, stableTag)) {
      if (!Repository.isValidRefName(Constants.R_TAGS + name)) {
        throw new AdminException.Usage(
            "VERSION '"
                + request.version()
                + "' would make the tag "
                + name
                + ", not a valid git tag name");
      }
    }
    try (RemoteCache cache = access.openFetched()) {
      Repository repo = cache.repository();
      ChannelState state = new ChannelStatusReader(stable, preprod).read(repo, access.remote());
      ObjectId target = resolve(repo, request.from(), access.remote());
      List<String> reasons = new ArrayList<>();
      Ref existing = repo.exactRef(Constants.R_TAGS + tag);
      if (existing != null) {
        reasons.add("tag " + tag + " already exists on " + access.remote());
      }
      Optional<Release> newest =
          state.releases().stream().max(Comparator.comparing(Release::semver, Version::compareTo));
      if (newest.isPresent() && version.compareTo(newest.get().semver()) <= 0) {
        reasons.add(version + " is not newer than the last release " + newest.get().tag());
      }
      String oldTip = state.preprod().tip();
      boolean fastForward;
      boolean containsMaster;
      try (RevWalk walk = new RevWalk(repo)) {
        RevCommit commit = walk.parseCommit(target);
        fastForward = oldTip == null || walk.isMergedInto(walk.parseCommit(id(oldTip)), commit);
        String masterTip = state.stable().tip();
        containsMaster =
            masterTip == null || walk.isMergedInto(walk.parseCommit(id(masterTip)), commit);
      }
      if (!fastForward && !request.force()) {
        reasons.add(
            preprod.branch()
                + " ("
                + abbrev(oldTip)
                + ") is not an ancestor of "
                + request.from()
                + " ("
                + abbrev(target.name())
                + "): not a fast-forward; use --force to move it anyway");
      }
      if (!reasons.isEmpty()) {
        LOG.info("release {} refused on {}: {}", tag, access.remote(), String.join("; ", reasons));
        throw new AdminException.Refused("release " + tag + " refused", reasons);
      }

      Instant now = clock.instant();
      boolean forced = !fastForward;
      ReleaseRecord record =
          new ReleaseRecord(
              version.toString(), request.from(), target.name(), forced, request.note());
      ObjectId tagId =
          Tags.annotated(
              repo,
              tag,
              target,
              operator.get().at(now),
              operator.get().signing(),
              record.tagMessage());
      List<RefChange> changes =
          List.of(
              RefChange.move(preprod.branchRef(), oldTip, target, forced),
              RefChange.create(Constants.R_TAGS + tag, tagId));
      hook.beforePush(changes);
      AtomicPush.push(cache, changes);
      LOG.info(
          "release created: {} at {} on {} of {}{}",
          tag,
          target.name(),
          preprod.branch(),
          access.remote(),
          forced ? " (forced, was " + oldTip + ")" : "");

      List<String> warnings = new ArrayList<>();
      if (!containsMaster) {
        warnings.add(
            tag
                + " does not contain "
                + stable.branch()
                + " ("
                + abbrev(state.stable().tip())
                + "): promote will be refused until a release contains it");
      }
      return new ReleaseResult(
          access.remote(),
          tag,
          version.toString(),
          target.name(),
          request.from(),
          preprod.branch(),
          oldTip,
          forced,
          now,
          warnings);
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.CORRUPT,
          "cannot read the cache of " + access.remote() + " in " + access.cacheDir(),
          e);
    }
  }

  /** A branch, a tag (peeled to its commit) or a commit id present on the remote. */
  private static ObjectId resolve(Repository repo, String from, String remote) throws IOException {
    try (RevWalk walk = new RevWalk(repo)) {
      for (String candidate : List.of(Constants.R_HEADS + from, Constants.R_TAGS + from)) {
        Ref ref = repo.exactRef(candidate);
        if (ref != null) {
          return peelToCommit(walk, ref.getObjectId(), from);
        }
      }
      if (from.matches("[0-9a-fA-F]{4,40}")) {
        ObjectId id = repo.resolve(from);
        if (id != null) {
          return peelToCommit(walk, id, from);
        }
      }
    }
    throw new AdminException.Usage("no branch, tag or commit '" + from + "' on " + remote);
  }

  private static ObjectId peelToCommit(RevWalk walk, ObjectId id, String from) throws IOException {
    var peeled = walk.peel(walk.parseAny(id));
    if (!(peeled instanceof RevCommit commit)) {
      throw new AdminException.Usage("'" + from + "' does not name a commit");
    }
    return commit.getId();
  }

  private static ObjectId id(String name) {
    return ObjectId.fromString(name);
  }

  private static String abbrev(String id) {
    return id == null ? "none" : id.substring(0, Math.min(8, id.length()));
  }
}
