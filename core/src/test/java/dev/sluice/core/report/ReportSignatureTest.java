package dev.sluice.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;

class ReportSignatureTest {

  private static final byte[] BODY = "{\"node\":\"a\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void aSignatureVerifiesWithItsKeyOnly() {
    KeyPair key = ReportSignature.generate();
    KeyPair other = ReportSignature.generate();
    String signature = ReportSignature.sign(key.getPrivate(), BODY);

    assertThat(ReportSignature.verify(key.getPublic(), BODY, signature)).isTrue();
    assertThat(ReportSignature.verify(other.getPublic(), BODY, signature)).isFalse();
  }

  @Test
  void aChangedBodyOrGarbledSignatureDoesNotVerify() {
    KeyPair key = ReportSignature.generate();
    String signature = ReportSignature.sign(key.getPrivate(), BODY);
    byte[] changed = "{\"node\":\"b\"}".getBytes(StandardCharsets.UTF_8);

    assertThat(ReportSignature.verify(key.getPublic(), changed, signature)).isFalse();
    assertThat(ReportSignature.verify(key.getPublic(), BODY, "not base64!")).isFalse();
    assertThat(ReportSignature.verify(key.getPublic(), BODY, null)).isFalse();
  }

  @Test
  void keysSurviveTheirEncodings() {
    KeyPair key = ReportSignature.generate();
    KeyPair back =
        ReportSignature.decodeKeyPair(key.getPublic().getEncoded(), key.getPrivate().getEncoded());
    String signature = ReportSignature.sign(back.getPrivate(), BODY);

    assertThat(ReportSignature.verify(key.getPublic(), BODY, signature)).isTrue();
    assertThat(ReportSignature.decodePublicKey(ReportSignature.encode(key.getPublic())))
        .isEqualTo(key.getPublic());
    assertThat(ReportSignature.fingerprint(key.getPublic())).hasSize(16);
  }

  @Test
  void aHeaderThatIsNoKeyIsRefused() {
    assertThatThrownBy(() -> ReportSignature.decodePublicKey("AAAA"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a base64 Ed25519 key");
    assertThatThrownBy(() -> ReportSignature.decodePublicKey(null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
