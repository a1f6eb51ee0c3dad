package dev.sluice.core.version;

import com.github.zafarkhaja.semver.Version;
import java.util.Comparator;
import java.util.Objects;
import org.eclipse.jgit.lib.ObjectId;

/** A release tag on the remote: its short name, its semantic version and the commit it marks. */
public record ReleaseTag(String name, Version version, ObjectId commit) {

  /** Oldest first, by semantic version precedence; ties broken by name for a total order. */
  public static final Comparator<ReleaseTag> BY_VERSION =
      Comparator.comparing(ReleaseTag::version, Version::compareTo).thenComparing(ReleaseTag::name);

  public ReleaseTag {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(commit, "commit");
  }

  public String refName() {
    return "refs/tags/" + name;
  }
}
