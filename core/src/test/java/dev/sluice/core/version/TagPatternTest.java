package dev.sluice.core.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.zafarkhaja.semver.Version;
import org.junit.jupiter.api.Test;

class TagPatternTest {

  @Test
  void stablePatternAcceptsPlainSemverOnly() {
    TagPattern stable = TagPattern.parse("v*");
    assertThat(stable.versionOf("v5.2.0")).contains(Version.of(5, 2, 0));
    assertThat(stable.versionOf("v5.2.0-rc.1")).contains(Version.parse("5.2.0-rc.1"));
    assertThat(stable.versionOf("v5.2.0_pre")).isEmpty();
    assertThat(stable.versionOf("v5.2")).isEmpty();
    assertThat(stable.versionOf("5.2.0")).isEmpty();
    assertThat(stable.versionOf("v")).isEmpty();
  }

  @Test
  void preprodPatternNeedsItsSuffix() {
    TagPattern pre = TagPattern.parse("v*_pre");
    assertThat(pre.versionOf("v5.2.0_pre")).contains(Version.of(5, 2, 0));
    assertThat(pre.versionOf("v5.2.0")).isEmpty();
    assertThat(pre.tagFor(Version.of(5, 3, 1))).isEqualTo("v5.3.1_pre");
    assertThat(pre.toString()).isEqualTo("v*_pre");
  }

  @Test
  void patternMustHaveExactlyOneStar() {
    assertThatThrownBy(() -> TagPattern.parse("v")).hasMessageContaining("exactly one '*'");
    assertThatThrownBy(() -> TagPattern.parse("v**")).hasMessageContaining("exactly one '*'");
  }
}
