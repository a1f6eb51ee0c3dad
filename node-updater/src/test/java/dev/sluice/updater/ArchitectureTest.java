package dev.sluice.updater;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.sluice.core.testing.ArchRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  private final JavaClasses updater =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.sluice.updater");

  @Test
  void onlyTheCommandLineUsesPicocli() {
    noClasses()
        .that()
        .resideOutsideOfPackage("..cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("picocli..")
        .check(updater);
  }

  @Test
  void servicesNeverPrint() {
    noClasses()
        .that()
        .resideOutsideOfPackage("..cli..")
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .check(updater);
  }

  @Test
  void noWebFrameworkOnTheNode() {
    // serve answers with the JDK's own HTTP server: no framework's classes loaded on every node.
    noClasses().should().dependOnClassesThat().resideInAnyPackage("io.javalin..").check(updater);
  }

  @Test
  void packagesHaveNoCycles() {
    ArchRules.noPackageCycles("dev.sluice.updater").check(updater);
  }

  @Test
  void staticFieldsAreFinal() {
    ArchRules.staticFieldsAreFinal("dev.sluice.updater").check(updater);
  }

  @Test
  void usesNoOtherProgram() {
    ArchRules.noOtherProgram("dev.sluice.updater").check(updater);
  }
}
