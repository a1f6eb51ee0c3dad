package dev.sluice.updater.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.core.testing.TestRemote;
import dev.sluice.updater.WorkTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fetching keeps working however much saved work a node holds, on a shallow node and on a full
 * clone, over every transport: {@code file://}, {@code git://} (a real git daemon, protocol v0 and
 * v2) and smart HTTP (a real git http-backend, one that speaks only v0 and one that speaks v2).
 */
class FetchNegotiationTest {

  /** Saved-work refs on the node: each adds three commits (work tree, index, untracked files). */
  private static final int SAVED = 40;

  private static final String MASTER = "refs/heads/master";

  @TempDir static Path shared;
  @TempDir Path tmp;

  private static TestRemote remote;
  private static Path shallowNode;
  private static Path fullClone;
  private static Path deepenedNode;

  enum Transport {
    FILE,
    GIT_V0,
    GIT_V2,
    HTTP_V0_ONLY,
    HTTP_V2;

    boolean needsGit() {
      return this != FILE;
    }
  }

  /** One remote with a long history, and the two nodes every test starts from a copy of. */
  @BeforeAll
  static void nodesWithManySavedRefs() throws Exception {
    remote = TestRemote.create(shared);
    shallowNode = shared.resolve("shallow-node");
    try (Workdir workdir = Workdir.open(shallowNode, remote.uri())) {
      workdir.checkout(
          workdir.fetch(MASTER, NullProgressMonitor.INSTANCE), NullProgressMonitor.INSTANCE);
      saveWork(workdir, SAVED);
    }
    for (int i = 1; i <= 80; i++) {
      remote.commit("master", "commit " + i, Map.of("history.txt", i + "\n"));
    }
    fullClone = shared.resolve("full-clone");
    try (Git clone =
        Git.cloneRepository()
            .setURI(remote.uri())
            .setDirectory(fullClone.toFile())
            .setBranch("master")
            .call()) {
      assertThat(clone.getRepository().getObjectDatabase().getShallowCommits()).isEmpty();
    }
    try (Workdir workdir = Workdir.open(fullClone, remote.uri())) {
      saveWork(workdir, SAVED);
    }
    remote.commit("rollout-policy", "policy", Map.of("channels.json", "{}\n"));
    deepenedNode = shared.resolve("deepened-node");
    try (Workdir workdir = Workdir.open(deepenedNode, remote.uri())) {
      workdir.fetch("refs/heads/rollout-policy", NullProgressMonitor.INSTANCE);
      ObjectId master = workdir.fetch(MASTER, NullProgressMonitor.INSTANCE, true);
      workdir.checkout(master, NullProgressMonitor.INSTANCE);
      assertThat(workdir.repository().getObjectDatabase().getShallowCommits())
          .containsExactly(remote.tip("rollout-policy"));
      saveWork(workdir, SAVED);
    }
  }

  @AfterAll
  static void closeRemote() {
    remote.close();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void shallowNodeWithManySavedRefsFetchesTheNextRelease(Transport transport) throws Exception {
    assumeTrue(!transport.needsGit() || GitCli.available(), "git is not installed");
    Path node = copy(shallowNode, tmp.resolve("node"));
    ObjectId release = remote.commit("master", "release", Map.of("app.txt", transport + "\n"));

    ObjectId fetched = fetchOver(transport, node);

    assertThat(fetched).isEqualTo(release);
    try (Workdir workdir = Workdir.open(node, remote.uri())) {
      assertThat(workdir.repository().getObjectDatabase().getShallowCommits())
          .as("the node stays shallow")
          .contains(release);
      assertThat(savedRefs(workdir)).isEqualTo(SAVED);
      workdir.checkout(fetched, NullProgressMonitor.INSTANCE);
      WorkTrees.assertMatches(node, workdir.repository(), release);
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void fullCloneWithLongHistoryAndManySavedRefsFetchesTheNextRelease(Transport transport)
      throws Exception {
    assumeTrue(!transport.needsGit() || GitCli.available(), "git is not installed");
    Path node = copy(fullClone, tmp.resolve("node"));
    ObjectId release = remote.commit("master", "release", Map.of("app.txt", transport + "\n"));

    ObjectId fetched = fetchOver(transport, node);

    assertThat(fetched).isEqualTo(release);
    try (Workdir workdir = Workdir.open(node, remote.uri())) {
      workdir.checkout(fetched, NullProgressMonitor.INSTANCE);
      WorkTrees.assertMatches(node, workdir.repository(), release);
      assertThat(workdir.repository().getObjectDatabase().getShallowCommits())
          .as("a full clone stays a full clone")
          .isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void nodeDeepenedForBarriersWithManySavedRefsFetchesTheNextRelease(Transport transport)
      throws Exception {
    assumeTrue(!transport.needsGit() || GitCli.available(), "git is not installed");
    Path node = copy(deepenedNode, tmp.resolve("node"));
    ObjectId release = remote.commit("master", "release", Map.of("app.txt", transport + "\n"));

    ObjectId fetched = fetchOver(transport, node);

    assertThat(fetched).isEqualTo(release);
    try (Workdir workdir = Workdir.open(node, remote.uri())) {
      workdir.checkout(fetched, NullProgressMonitor.INSTANCE);
      WorkTrees.assertMatches(node, workdir.repository(), release);
      assertThat(workdir.repository().getObjectDatabase().getShallowCommits())
          .as("master's history stays whole")
          .containsExactly(remote.tip("rollout-policy"));
    }
  }

  /** Fetches master into the node over the transport, with a fresh server for the occasion. */
  private ObjectId fetchOver(Transport transport, Path node) throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path root = remote.dir().getParent();
    String name = remote.dir().getFileName().toString();
    switch (transport) {
      case FILE -> {
        return fetch(node, remote.uri(), false);
      }
      case GIT_V0, GIT_V2 -> {
        try (GitDaemon daemon = GitDaemon.serve(root, home)) {
          return fetch(node, daemon.url(name), transport == Transport.GIT_V0);
        }
      }
      case HTTP_V0_ONLY, HTTP_V2 -> {
        HttpGitServer.Mode mode =
            transport == Transport.HTTP_V2 ? HttpGitServer.Mode.V2 : HttpGitServer.Mode.V0_ONLY;
        try (HttpGitServer server = HttpGitServer.serve(root, home, mode)) {
          return fetch(node, server.url(name), false);
        }
      }
      default -> throw new IllegalArgumentException(transport.name());
    }
  }

  private static ObjectId fetch(Path node, String url, boolean protocolV0) throws IOException {
    try (Workdir workdir = Workdir.open(node, url)) {
      if (protocolV0) {
        StoredConfig config = workdir.repository().getConfig();
        config.setString("protocol", null, "version", "0");
        config.save();
      }
      return workdir.fetch(MASTER, NullProgressMonitor.INSTANCE);
    }
  }

  /** Leaves local work (a changed tracked file, a new untracked one) and saves it, n times. */
  private static void saveWork(Workdir workdir, int n) throws IOException {
    Instant now = TestRemote.EPOCH;
    for (int i = 0; i < n; i++) {
      Files.writeString(workdir.dir().resolve("app.txt"), "edited on the node " + i + "\n");
      Files.writeString(workdir.dir().resolve("cache-" + i + ".dat"), "generated " + i + "\n");
      assertThat(Saves.saveAndReset(workdir, now.plusSeconds(i))).isPresent();
    }
    assertThat(savedRefs(workdir)).isEqualTo(n);
  }

  private static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Files.copy(file, to.resolve(from.relativize(file).toString()));
      }
    }
    return to;
  }

  private static int savedRefs(Workdir workdir) throws IOException {
    return workdir.repository().getRefDatabase().getRefsByPrefix(Workdir.SAVED_PREFIX).size();
  }
}
