package dev.sluice.core.git;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RemoteUrlsTest {

  @Test
  void redactReplacesUserAndPasswordOfAnHttpsUrl() {
    assertThat(RemoteUrls.redact("https://user:TOKEN@host/repo.git"))
        .isEqualTo("https://***@host/repo.git");
  }

  @Test
  void redactReplacesATokenGivenAsUserName() {
    assertThat(RemoteUrls.redact("https://ghp_TOKEN@github.com/org/repo.git"))
        .isEqualTo("https://***@github.com/org/repo.git");
  }

  @Test
  void redactKeepsThePortAndPath() {
    assertThat(RemoteUrls.redact("http://u:p@127.0.0.1:8080/a/b.git?x=1"))
        .isEqualTo("http://***@127.0.0.1:8080/a/b.git?x=1");
  }

  @Test
  void redactHandlesAnAtSignInsideThePassword() {
    assertThat(RemoteUrls.redact("https://u:p@ss@host/repo.git"))
        .isEqualTo("https://***@host/repo.git");
  }

  @Test
  void redactReplacesEveryUrlInAMessage() {
    assertThat(
            RemoteUrls.redact(
                "remote https://a:SECRET1@h1/r.git is unreachable: ssh://b:SECRET2@h2:22/r.git"))
        .isEqualTo("remote https://***@h1/r.git is unreachable: ssh://***@h2:22/r.git");
  }

  @Test
  void redactLeavesUrlsWithoutUserInfoAlone() {
    for (String url :
        new String[] {
          "https://host/repo.git",
          "file:///tmp/remote.git/",
          "git@github.com:org/repo.git",
          "https://host/path@v1/repo.git",
          "mail me at ops@example.com",
          ""
        }) {
      assertThat(RemoteUrls.redact(url)).as(url).isEqualTo(url);
    }
    assertThat(RemoteUrls.redact(null)).isNull();
  }
}
