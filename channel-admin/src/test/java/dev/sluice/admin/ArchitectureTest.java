package dev.sluice.admin;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.sluice.core.testing.ArchRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  private final JavaClasses classes =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.sluice.admin", "dev.sluice.core");

  @Test
  void onlyTheCommandLineWritesToStandardOutput() {
    noClasses()
        .that()
        .resideOutsideOfPackage("..cli..")
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .because("services return results; only the command line prints")
        .check(classes);
  }

  @Test
  void coreAndServicesDoNotKnowPicocliOrJavalin() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.sluice.core..",
            "dev.sluice.admin.git..",
            "dev.sluice.admin.release..",
            "dev.sluice.admin.promote..",
            "dev.sluice.admin.status..",
            "dev.sluice.admin.history..")
        .or()
        .haveFullyQualifiedName(AdminException.class.getName())
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("picocli..", "io.javalin..")
        .because("the logic must be reusable without a front end")
        .check(classes);
  }

  @Test
  void servicesDoNotDependOnTheCommandLine() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.sluice.admin.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.sluice.admin.cli..")
        .check(classes);
  }

  @Test
  void packagesHaveNoCycles() {
    ArchRules.noPackageCycles("dev.sluice.admin").check(classes);
  }

  @Test
  void staticFieldsAreFinal() {
    ArchRules.staticFieldsAreFinal("dev.sluice.admin").check(classes);
  }

  @Test
  void usesNoOtherProgram() {
    ArchRules.noOtherProgram("dev.sluice.admin").check(classes);
  }
}
