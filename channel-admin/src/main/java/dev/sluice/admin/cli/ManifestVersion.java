package dev.sluice.admin.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest's {@code Implementation-Version}. */
final class ManifestVersion implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String version = ManifestVersion.class.getPackage().getImplementationVersion();
    return new String[] {"channel-admin " + (version == null ? "(development build)" : version)};
  }
}
