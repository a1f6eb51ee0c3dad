package dev.sluice.web;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.sluice.core.testing.ArchRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  private final JavaClasses web =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.sluice.web");

  @Test
  void fleetLogicImportsNoFrontEnd() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.sluice.web.fleet..", "dev.sluice.web.channels..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.javalin..", "picocli..", "dev.sluice.web.http..", "dev.sluice.web.cli..")
        .because("the store and aggregation are plain Java behind thin front-ends")
        .check(web);
  }

  @Test
  void httpHandlersDoNotUsePicocli() {
    noClasses()
        .that()
        .resideInAPackage("dev.sluice.web.http..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("picocli..", "dev.sluice.web.cli..")
        .check(web);
  }

  @Test
  void onlyTheCommandLinePrints() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.sluice.web.cli..")
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .because("only the command-line front end prints; everything else logs")
        .check(web);
  }

  @Test
  void theRulesSeeTheClasses() {
    // Guards against an import that silently finds nothing and so can never fail.
    org.assertj.core.api.Assertions.assertThat(web.containPackage("dev.sluice.web.fleet")).isTrue();
    org.assertj.core.api.Assertions.assertThat(web.containPackage("dev.sluice.web.http")).isTrue();
    org.assertj.core.api.Assertions.assertThat(web.containPackage("dev.sluice.web.cli")).isTrue();
    org.assertj.core.api.Assertions.assertThat(web.containPackage("dev.sluice.web.channels"))
        .isTrue();
  }

  @Test
  void packagesHaveNoCycles() {
    ArchRules.noPackageCycles("dev.sluice.web").check(web);
  }

  @Test
  void staticFieldsAreFinal() {
    ArchRules.staticFieldsAreFinal("dev.sluice.web").check(web);
  }

  @Test
  void usesNoOtherProgram() {
    ArchRules.noOtherProgram("dev.sluice.web").check(web);
  }
}
