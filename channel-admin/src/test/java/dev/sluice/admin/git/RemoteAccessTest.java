package dev.sluice.admin.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;

class RemoteAccessTest {

  private static final Path HOME = Path.of("/home/olga");

  @Test
  void cacheGoesUnderXdgCacheHomeOneDirectoryPerRemote() {
    Map<String, String> env = Map.of("XDG_CACHE_HOME", "/var/cache/olga");

    Path a = RemoteAccess.defaultCacheDir("https://git.example/fleet.git", env, HOME);
    Path b = RemoteAccess.defaultCacheDir("ssh://git.example/fleet.git", env, HOME);

    assertThat(a.getParent()).isEqualTo(Path.of("/var/cache/olga/sluice/admin"));
    assertThat(a.getFileName().toString()).matches("[0-9a-f]{16}");
    assertThat(a).isNotEqualTo(b);
    assertThat(RemoteAccess.defaultCacheDir("https://git.example/fleet.git", env, HOME))
        .isEqualTo(a);
  }

  @Test
  void cacheFallsBackToDotCacheInHome() {
    Path dir = RemoteAccess.defaultCacheDir("file:///srv/fleet.git", Map.of(), HOME);

    assertThat(dir.getParent()).isEqualTo(Path.of("/home/olga/.cache/sluice/admin"));
  }

  @Test
  void explicitCacheDirectoryWins() {
    RemoteAccess access =
        RemoteAccess.of("file:///srv/fleet.git", Path.of("/tmp/c"), Map.of(), HOME);

    assertThat(access.cacheDir()).isEqualTo(Path.of("/tmp/c"));
    assertThat(access.credentials()).isNull();
  }

  @Test
  void tokenFromTheEnvironmentBecomesCredentials() throws Exception {
    CredentialsProvider credentials =
        RemoteAccess.credentialsFrom(Map.of("SLUICE_GIT_TOKEN", "s3cret"));

    CredentialItem.Username user = new CredentialItem.Username();
    CredentialItem.Password password = new CredentialItem.Password();
    assertThat(credentials.get(new URIish("https://git.example/fleet.git"), user, password))
        .isTrue();
    assertThat(user.getValue()).isEqualTo("x-access-token");
    assertThat(new String(password.getValue())).isEqualTo("s3cret");

    CredentialItem.Username named = new CredentialItem.Username();
    RemoteAccess.credentialsFrom(Map.of("SLUICE_GIT_TOKEN", "t", "SLUICE_GIT_USER", "olga"))
        .get(new URIish("https://git.example/fleet.git"), named);
    assertThat(named.getValue()).isEqualTo("olga");

    CredentialItem.Username same = new CredentialItem.Username();
    RemoteAccess.credentialsFrom(
            Map.of(
                "SLUICE_GIT_TOKEN", "t",
                "SLUICE_GIT_USERNAME", "deploy-bot",
                "SLUICE_GIT_USER", "olga"))
        .get(new URIish("https://git.example/fleet.git"), same);
    assertThat(same.getValue())
        .as("the variable node-updater reads wins over the old name")
        .isEqualTo("deploy-bot");
  }
}
