package dev.sluice.web.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.report.ReportSignature;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignatureCheckTest {

  private static final String X509_PREFIX = "302a300506032b6570032100";

  @Test
  void aKeyAndSignatureMadeByTheJdkAsOnTheNodeVerify() throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    String header = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    byte[] body = "{\"node\":\"n\"}".getBytes(StandardCharsets.UTF_8);
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(pair.getPrivate());
    signer.update(ReportSignature.signedBytes(body));
    String signature = Base64.getEncoder().encodeToString(signer.sign());

    byte[] raw = SignatureCheck.rawKey(header);

    assertThat(SignatureCheck.verify(raw, body, signature)).isTrue();
    assertThat(SignatureCheck.encode(raw)).isEqualTo(header);
    body[2] ^= 1;
    assertThat(SignatureCheck.verify(raw, body, signature)).isFalse();
  }

  /** The eight points of small order (RFC 8032's torsion points), and a non-canonical encoding. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "0100000000000000000000000000000000000000000000000000000000000000",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"
      })
  void aSmallOrderOrNonCanonicalKeyIsRefused(String point) {
    String header =
        Base64.getEncoder().encodeToString(HexFormat.of().parseHex(X509_PREFIX + point));

    assertThatThrownBy(() -> SignatureCheck.rawKey(header))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the public key is not a base64 Ed25519 key");
  }
}
