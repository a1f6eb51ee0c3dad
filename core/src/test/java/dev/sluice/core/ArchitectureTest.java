package dev.sluice.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.sluice.core.testing.ArchRules;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  private final JavaClasses core =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.sluice.core");

  @Test
  void coreHasNoFrontEndsAndNoDatabase() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("picocli..", "io.javalin..", "java.sql..")
        .because("core is plain Java shared by every program")
        .check(core);
  }

  @Test
  void coreNeverPrints() {
    noClasses()
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .because("only command-line front ends print")
        .check(core);
  }

  @Test
  void packagesHaveNoCycles() {
    ArchRules.noPackageCycles("dev.sluice.core").check(core);
  }

  @Test
  void staticFieldsAreFinal() {
    ArchRules.staticFieldsAreFinal("dev.sluice.core").check(core);
  }

  @Test
  void theDecisionsArePure() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.sluice.core.rollout..", "dev.sluice.core.promotion..", "dev.sluice.core.lottery..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.io..",
            "java.nio.file..",
            "java.net..",
            "java.sql..",
            "org.eclipse.jgit.api..",
            "org.eclipse.jgit.transport..",
            "org.eclipse.jgit.revwalk..",
            "org.eclipse.jgit.storage..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.eclipse.jgit.lib.Repository")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(Instant.class, "now")
        .orShould()
        .callMethod(Clock.class, "systemUTC")
        .orShould()
        .callMethod(Clock.class, "systemDefaultZone")
        .because(
            "rollout, promotion and lottery decide from facts and a given time; reading a"
                + " repository belongs in core.history, the clock and the network in the programs")
        .check(core);
  }
}
