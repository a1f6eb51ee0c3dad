package dev.sluice.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.testing.TestRemote;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tags and policy commits carry the operator's real identity, never an invented one. */
class OperatorIdentityTest {

  private static final Instant NOW = Instant.parse("2026-11-01T10:00:00Z");

  @TempDir Path tmp;

  private TestRemote remote;
  private Cli cli;

  @BeforeEach
  void createRemote() {
    remote = TestRemote.create(tmp);
    cli = new Cli(tmp).withEnv(Map.of());
    remote.commit("development", "feature", Map.of("app.txt", "1\n"));
  }

  @AfterEach
  void closeRemote() {
    remote.close();
  }

  private Cli.Result release(String... extra) {
    String[] args = new String[] {"--remote", remote.uri(), "--now", NOW.toString()};
    String[] all = new String[args.length + extra.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "release";
    all[args.length + 1] = "1.0.0";
    System.arraycopy(extra, 0, all, args.length + 2, extra.length);
    return cli.run(all);
  }

  private PersonIdent tagger() {
    RevTag tag = Remotes.annotatedTag(remote.repository(), "v1.0.0_pre");
    assertThat(tag).as("the release tag").isNotNull();
    return tag.getTaggerIdent();
  }

  private void writeConfig(Path file, String name, String email) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "[user]\n\tname = " + name + "\n\temail = " + email + "\n");
  }

  @Test
  void withoutAnyIdentityAWriteIsRefusedAndNothingIsPushed() {
    Cli.Result result = release();

    assertThat(result.code()).as(result.toString()).isEqualTo(2);
    assertThat(result.err())
        .contains("No git user.name and user.email is configured")
        .contains("--as \"NAME <EMAIL>\"")
        .doesNotContain("sluice.invalid");
    assertThat(Remotes.hasTag(remote.repository(), "v1.0.0_pre")).isFalse();
    assertThat(remote.tip("preprod")).isEqualTo(remote.tip("master"));
  }

  @Test
  void readingNeedsNoIdentity() {
    assertThat(cli.run("--remote", remote.uri(), "status").code()).isZero();
    assertThat(cli.run("--remote", remote.uri(), "history").code()).isZero();
    assertThat(cli.run("--remote", remote.uri(), "policy", "show").code()).isZero();
  }

  @Test
  void theGlobalGitConfigInTheHomeDirectoryNamesTheOperator() throws IOException {
    writeConfig(cli.home().resolve(".gitconfig"), "Gina Global", "gina@ops.example");

    Cli.Result result = release();

    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(tagger().getName()).isEqualTo("Gina Global");
    assertThat(tagger().getEmailAddress()).isEqualTo("gina@ops.example");
  }

  @Test
  void theXdgGitConfigIsReadWhenThereIsNoGitconfig() throws IOException {
    writeConfig(cli.home().resolve(".config/git/config"), "Xena Xdg", "xena@ops.example");

    assertThat(release().code()).isZero();
    assertThat(tagger().getName()).isEqualTo("Xena Xdg");
  }

  @Test
  void theRepositoryTheCommandRunsInOverridesTheGlobalConfig() throws Exception {
    writeConfig(cli.home().resolve(".gitconfig"), "Gina Global", "gina@ops.example");
    try (Git repo = Git.init().setDirectory(cli.cwd().toFile()).setInitialBranch("main").call()) {
      repo.getRepository().getConfig().setString("user", null, "name", "Rita Repo");
      repo.getRepository().getConfig().save();
    } catch (GitAPIException e) {
      throw new AssertionError(e);
    }
    cli.withEnv(Map.of());

    assertThat(release().code()).isZero();
    assertThat(tagger().getName()).isEqualTo("Rita Repo");
    assertThat(tagger().getEmailAddress()).isEqualTo("gina@ops.example");
  }

  @Test
  void gitVariablesOverrideConfigAndAsOverridesBoth() throws IOException {
    writeConfig(cli.home().resolve(".gitconfig"), "Gina Global", "gina@ops.example");
    cli.withEnv(Map.of("GIT_AUTHOR_NAME", "Ada Author", "GIT_AUTHOR_EMAIL", "ada@ops.example"));

    assertThat(release().code()).isZero();
    assertThat(tagger().getName()).isEqualTo("Ada Author");

    remote.commit("development", "more", Map.of("app.txt", "2\n"));
    Cli.Result as =
        cli.run(
            "--remote",
            remote.uri(),
            "--now",
            NOW.toString(),
            "release",
            "1.1.0",
            "--as",
            "Olga Operator <olga@ops.example>");
    assertThat(as.code()).as(as.toString()).isZero();
    RevTag tag = Remotes.annotatedTag(remote.repository(), "v1.1.0_pre");
    assertThat(tag.getTaggerIdent().getName()).isEqualTo("Olga Operator");
    assertThat(tag.getTaggerIdent().getEmailAddress()).isEqualTo("olga@ops.example");
  }

  @Test
  void policyCommitsCarryTheIdentityFromAs() {
    Cli.Result result =
        cli.run(
            "--as",
            "Olga Operator <olga@ops.example>",
            "--remote",
            remote.uri(),
            "pause",
            "stable",
            "--reason",
            "incident");

    assertThat(result.code()).as(result.toString()).isZero();
    ObjectId tip = remote.tip("rollout-policy");
    try (var walk = new org.eclipse.jgit.revwalk.RevWalk(remote.repository())) {
      var commit = walk.parseCommit(tip);
      assertThat(commit.getAuthorIdent().toExternalString())
          .startsWith("Olga Operator <olga@ops.example>");
      assertThat(commit.getCommitterIdent().getEmailAddress()).isEqualTo("olga@ops.example");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aMalformedAsIsBadUsage() {
    Cli.Result result = release("--as", "just a name");

    assertThat(result.code()).as(result.toString()).isEqualTo(2);
    assertThat(result.err()).contains("--as: 'just a name' is not NAME <EMAIL>");
  }
}
