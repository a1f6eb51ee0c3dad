package dev.sluice.cli;

import java.util.Optional;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The version line: the program's name and its jar manifest's {@code Implementation-Version} (the
 * root command's class's jar), or "(development build)" when run from classes.
 */
public final class ManifestVersion implements IVersionProvider {

  @Spec CommandSpec spec;

  @Override
  public String[] getVersion() {
    CommandSpec root = spec.root();
    return new String[] {root.name() + " " + version(root.userObject().getClass())};
  }

  /** The version of the jar that holds {@code type}. */
  public static String version(Class<?> type) {
    return implementationVersion(type).orElse("(development build)");
  }

  /**
   * The {@code Implementation-Version} of the jar that holds {@code type}; empty when the class
   * does not come from a released jar (classes run from the build tree).
   */
  public static Optional<String> implementationVersion(Class<?> type) {
    return Optional.ofNullable(type.getPackage().getImplementationVersion())
        .filter(v -> !v.isBlank());
  }
}
