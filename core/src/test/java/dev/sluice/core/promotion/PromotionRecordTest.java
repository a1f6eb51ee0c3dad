package dev.sluice.core.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PromotionRecordTest {

  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

  @Test
  void promotionRecordReadsBackWhatItWrote() {
    Instant tagged = Instant.parse("2026-11-01T10:00:00Z");
    PromotionDecision decision =
        PromotionGates.decide(
            new PromotionInputs(
                    "v1.2.0_pre",
                    tagged,
                    Duration.ofDays(7),
                    tagged.plus(Duration.ofHours(2)),
                    true,
                    false,
                    false,
                    null,
                    null,
                    null)
                .withSoakOverride("hotfix for outage\nticket 42"));
    PromotionRecord record = PromotionRecord.of(decision, SHA);

    String message = record.tagMessage();

    assertThat(message).startsWith("Promote v1.2.0_pre to stable\n\n");
    assertThat(message).contains("Sluice-Soak-Served: PT2H\n");
    assertThat(message).contains("Sluice-Override-Reason: hotfix for outage ticket 42\n");
    assertThat(PromotionRecord.parse(message)).contains(record);
  }

  @Test
  void releaseRecordReadsBackWhatItWrote() {
    ReleaseRecord record = new ReleaseRecord("1.2.0", "development", SHA, true, "Big one\n\nnotes");

    String message = record.tagMessage();

    assertThat(message).startsWith("Release 1.2.0 to preprod\n\nBig one\n\nnotes\n\n");
    assertThat(ReleaseRecord.parse(message)).contains(record);
    assertThat(PromotionRecord.parse(message)).isEmpty();
  }

  @Test
  void foreignTagMessagesAreNotRecords() {
    assertThat(PromotionRecord.parse("made by hand\n")).isEmpty();
    assertThat(ReleaseRecord.parse("")).isEmpty();
  }
}
