package dev.sluice.core.git;

import dev.sluice.core.version.ReleaseTag;
import dev.sluice.core.version.TagPattern;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.transport.URIish;

/** A snapshot of the branches and tags a remote advertises, read with one ls-remote. */
public final class RemoteRefs {

  private final String remote;
  private final Map<String, RemoteRef> refs;

  public RemoteRefs(String remote, Collection<RemoteRef> refs) {
    this.remote = remote;
    Map<String, RemoteRef> byName = new LinkedHashMap<>();
    for (RemoteRef ref : refs) {
      byName.put(ref.name(), ref);
    }
    this.refs = Map.copyOf(byName);
  }

  /**
   * Lists the branches and tags of a remote given by its URL alone (credentials only from the URL,
   * ssh from the user's {@code ~/.ssh}).
   *
   * @see #list(RemoteAccess)
   */
  public static RemoteRefs list(String remote) {
    return list(RemoteAccess.of(remote));
  }

  /**
   * Lists the remote's branches and tags.
   *
   * @throws GitException {@code UNREACHABLE} when the remote cannot be read, {@code ACCESS_DENIED}
   *     when it refused the credentials or its ssh host key is not trusted
   */
  public static RemoteRefs list(RemoteAccess access) {
    String remote = access.url();
    try {
      Map<String, Ref> advertised =
          access
              .apply(Git.lsRemoteRepository())
              .setRemote(remote)
              .setHeads(true)
              .setTags(true)
              .setTimeout(30)
              .callAsMap();
      List<RemoteRef> refs = new ArrayList<>(advertised.size());
      for (Ref ref : advertised.values()) {
        if (ref.getObjectId() != null) {
          refs.add(new RemoteRef(ref.getName(), ref.getObjectId(), ref.getPeeledObjectId()));
        }
      }
      return new RemoteRefs(remote, refs);
    } catch (InvalidRemoteException e) {
      throw new GitException(
          GitException.Kind.UNREACHABLE, "remote " + remote + " is not a git repository", e);
    } catch (GitAPIException | RuntimeException e) {
      throw access.failure("remote", e);
    }
  }

  /** Rejects text that is not a git URL before any network access. */
  public static void checkRemoteSyntax(String remote) {
    if (remote == null || remote.isBlank()) {
      throw new GitException(GitException.Kind.INVALID_REMOTE, "no remote URL given");
    }
    try {
      new URIish(remote);
    } catch (URISyntaxException e) {
      throw new GitException(
          GitException.Kind.INVALID_REMOTE,
          "remote '" + RemoteUrls.redact(remote) + "' is not a git URL",
          e);
    }
  }

  public String remote() {
    return remote;
  }

  public Optional<RemoteRef> ref(String fullName) {
    return Optional.ofNullable(refs.get(fullName));
  }

  public Optional<RemoteRef> branch(String shortName) {
    return ref("refs/heads/" + shortName);
  }

  public Collection<RemoteRef> all() {
    return refs.values();
  }

  /** Every tag matching the pattern, oldest version first. */
  public List<ReleaseTag> releaseTags(TagPattern pattern) {
    List<ReleaseTag> tags = new ArrayList<>();
    for (RemoteRef ref : refs.values()) {
      if (!ref.name().startsWith("refs/tags/")) {
        continue;
      }
      String shortName = ref.name().substring("refs/tags/".length());
      pattern
          .versionOf(shortName)
          .ifPresent(version -> tags.add(new ReleaseTag(shortName, version, ref.commitId())));
    }
    tags.sort(ReleaseTag.BY_VERSION);
    return tags;
  }

  /** The newest release tag matching the pattern. */
  public Optional<ReleaseTag> newestRelease(TagPattern pattern) {
    List<ReleaseTag> tags = releaseTags(pattern);
    return tags.isEmpty() ? Optional.empty() : Optional.of(tags.get(tags.size() - 1));
  }

  /** The newest release tag matching the pattern that marks exactly this commit. */
  public Optional<ReleaseTag> releaseAt(TagPattern pattern, ObjectId commit) {
    // Only the few tags on this commit are parsed as versions, not every tag of the remote.
    ReleaseTag newest = null;
    for (RemoteRef ref : refs.values()) {
      if (!ref.name().startsWith("refs/tags/") || !ref.commitId().equals(commit)) {
        continue;
      }
      String shortName = ref.name().substring("refs/tags/".length());
      Optional<ReleaseTag> tag =
          pattern.versionOf(shortName).map(version -> new ReleaseTag(shortName, version, commit));
      if (tag.isPresent()
          && (newest == null || ReleaseTag.BY_VERSION.compare(tag.get(), newest) > 0)) {
        newest = tag.get();
      }
    }
    return Optional.ofNullable(newest);
  }
}
