package dev.sluice.core.git;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RemoteUrlsTest {

  @Test
  void httpsUserAndPasswordAreHidden() {
    assertThat(RemoteUrls.redact("https://user:s3cret@git.example/org/repo.git"))
        .isEqualTo("https://***@git.example/org/repo.git");
  }

  @Test
  void httpsBareTokenIsHidden() {
    assertThat(RemoteUrls.redact("http://ghp_TOKEN@git.example:8080/repo"))
        .isEqualTo("http://***@git.example:8080/repo");
  }

  @Test
  void anAtSignInThePasswordDoesNotLeakItsTail() {
    assertThat(RemoteUrls.redact("https://u:p@ss@host/r.git")).isEqualTo("https://***@host/r.git");
  }

  @Test
  void sshKeepsTheLoginButNotAPassword() {
    assertThat(RemoteUrls.redact("ssh://git@host/r.git")).isEqualTo("ssh://git@host/r.git");
    assertThat(RemoteUrls.redact("ssh://git:pw@host/r.git")).isEqualTo("ssh://***@host/r.git");
  }

  @Test
  void scpLikeAndLocalRemotesAreUnchanged() {
    assertThat(RemoteUrls.redact("git@github.com:org/repo.git"))
        .isEqualTo("git@github.com:org/repo.git");
    assertThat(RemoteUrls.redact("file:///srv/git/repo.git")).isEqualTo("file:///srv/git/repo.git");
    assertThat(RemoteUrls.redact("/srv/git/repo.git")).isEqualTo("/srv/git/repo.git");
    assertThat(RemoteUrls.redact("https://host/repo.git?x=a@b"))
        .isEqualTo("https://host/repo.git?x=a@b");
    assertThat(RemoteUrls.redact(null)).isNull();
  }

  @Test
  void urlsInsideTextAreRedacted() {
    assertThat(
            RemoteUrls.redactIn(
                "cannot fetch https://u:TOKEN@h/r.git: 401; mirror http://T2@m/r and ssh://git@h/r"))
        .isEqualTo("cannot fetch https://***@h/r.git: 401; mirror http://***@m/r and ssh://git@h/r")
        .doesNotContain("TOKEN");
    assertThat(RemoteUrls.redactIn("mail me at a@b.c")).isEqualTo("mail me at a@b.c");
    assertThat(RemoteUrls.redactIn("x https://u:p@ss@h/r y")).isEqualTo("x https://***@h/r y");
  }

  @Test
  void hasCredentialsSaysWhetherAnythingWouldBeHidden() {
    assertThat(RemoteUrls.hasCredentials("https://t@h/r")).isTrue();
    assertThat(RemoteUrls.hasCredentials("https://h/r")).isFalse();
  }
}
