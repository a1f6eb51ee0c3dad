package dev.sluice.updater.run;

import dev.sluice.cli.ManifestVersion;

/** node-updater's own version, from its jar's manifest ({@code Implementation-Version}). */
public final class UpdaterVersion {

  /** What a build that is not a packaged jar (classes run from the build tree) calls itself. */
  public static final String DEVELOPMENT = "development";

  private UpdaterVersion() {}

  /** The version, or {@value #DEVELOPMENT} when the classes do not come from a released jar. */
  public static String current() {
    return ManifestVersion.implementationVersion(UpdaterVersion.class).orElse(DEVELOPMENT);
  }
}
