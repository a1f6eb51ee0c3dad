package dev.sluice.core.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;

/** The architecture rules every module checks against its own classes. */
public final class ArchRules {

  private ArchRules() {}

  /**
   * Packages under {@code root} (e.g. {@code dev.sluice.updater}) never depend on each other in a
   * cycle.
   */
  public static ArchRule noPackageCycles(String root) {
    return slices()
        .matching(root + ".(*)..")
        .should()
        .beFreeOfCycles()
        .because("a package cycle means two packages are really one, or one is in the wrong place");
  }

  /**
   * Static fields of the classes under {@code root} are constants: no mutable global state hides
   * between runs and tests.
   */
  public static ArchRule staticFieldsAreFinal(String root) {
    return fields()
        .that()
        .areDeclaredInClassesThat()
        .resideInAPackage(root + "..")
        .and()
        .areStatic()
        .should()
        .beFinal()
        .because("mutable static state leaks between runs and between tests run in parallel");
  }

  /** The programs share only core and the SQLite module, never each other's classes. */
  public static ArchRule noOtherProgram(String own) {
    return noClasses()
        .that()
        .resideInAPackage(own + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            java.util.stream.Stream.of(
                    "dev.sluice.updater..", "dev.sluice.admin..", "dev.sluice.web..")
                .filter(p -> !p.startsWith(own + "."))
                .toArray(String[]::new))
        .because(
            "node-updater, channel-admin and fleet-web are released apart and share only core");
  }
}
