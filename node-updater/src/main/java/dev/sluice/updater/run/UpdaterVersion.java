package dev.sluice.updater.run;

/** node-updater's own version, from its jar's manifest ({@code Implementation-Version}). */
public final class UpdaterVersion {

  /** What a build that is not a packaged jar (classes run from the build tree) calls itself. */
  public static final String DEVELOPMENT = "development";

  private UpdaterVersion() {}

  /** The version, or {@value #DEVELOPMENT} when the classes do not come from a released jar. */
  public static String current() {
    String version = UpdaterVersion.class.getPackage().getImplementationVersion();
    return version == null || version.isBlank() ? DEVELOPMENT : version;
  }
}
