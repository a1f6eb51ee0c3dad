package dev.sluice.core.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RollbackRecordTest {

  private static final String FROM = "0123456789abcdef0123456789abcdef01234567";
  private static final String TO = "89abcdef0123456789abcdef0123456789abcdef";

  @Test
  void rollbackRecordReadsBackWhatItWrote() {
    RollbackRecord record =
        new RollbackRecord(
            "stable", "master", "v5.2.0", FROM, "v5.1.0", TO, "v5.2.0", "corrupts\n state");

    String message = record.tagMessage();

    assertThat(message)
        .startsWith("Roll back stable from v5.2.0 to v5.1.0\n\ncorrupts state\n\n")
        .contains("Sluice-From-Commit: " + FROM + "\n")
        .contains("Sluice-Reason: corrupts state\n");
    assertThat(RollbackRecord.parse(message)).contains(record);
    assertThat(RollbackRecord.parse("Promote v5.2.0_pre to stable\n")).isEmpty();
  }

  @Test
  void tagNamesAreUnderRollbackAndNeverLookLikeReleases() {
    String name = RollbackRecord.tagName("preprod", Instant.parse("2026-11-29T18:30:05Z"));

    assertThat(name).isEqualTo("rollback/preprod/20261129T183005Z");
    assertThat(RollbackRecord.isTagName(name)).isTrue();
    assertThat(dev.sluice.core.version.TagPattern.parse("v*").versionOf(name)).isEmpty();
  }
}
