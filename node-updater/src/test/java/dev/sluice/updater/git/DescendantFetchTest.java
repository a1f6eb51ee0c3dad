package dev.sluice.updater.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.core.testing.TestRemote;
import dev.sluice.updater.WorkTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A shallow node's first move learns that the target descends from its commit by fetching only what
 * lies between them, over every transport; anything else leaves its repository untouched. Every
 * repository a test leaves is checked with {@code git fsck --strict}.
 */
class DescendantFetchTest {

  private static final String MASTER = "refs/heads/master";
  private static final String PREPROD = "refs/heads/preprod";

  @TempDir Path tmp;

  private TestRemote remote;
  private ObjectId oldest;

  enum Transport {
    FILE,
    GIT_V0,
    HTTP_V0_ONLY,
    HTTP_V2
  }

  @BeforeEach
  void remoteWithHistory() {
    remote = TestRemote.create(tmp);
    oldest = remote.tip("master");
    for (int i = 1; i <= 12; i++) {
      remote.commit("master", "release " + i, Map.of("app.txt", "version " + i + "\n"));
    }
  }

  @AfterEach
  void closeRemote() {
    remote.close();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aTargetThatDescendsIsFetchedBackToTheNodesCommitOnly(Transport transport) throws Exception {
    Path node = install(MASTER);
    ObjectId base = remote.tip("master");
    remote.setBranch("preprod", base);
    for (int i = 1; i <= 3; i++) {
      remote.commit("preprod", "candidate " + i, Map.of("lib/new-" + i + ".txt", i + "\n"));
    }
    ObjectId target = remote.tip("preprod");

    Optional<ObjectId> fetched = fetchDescendant(transport, node, PREPROD, base);

    assertThat(fetched).contains(target);
    try (Workdir workdir = Workdir.open(node, remote.uri())) {
      Repository repo = workdir.repository();
      assertThat(repo.getObjectDatabase().getShallowCommits())
          .as("the new tip is marked shallow, so the node stays 'depth 1 or full'")
          .contains(base, target);
      assertThat(repo.exactRef("refs/remotes/origin/preprod").getObjectId()).isEqualTo(target);
      assertThat(repo.getObjectDatabase().has(oldest)).as("no older history was fetched").isFalse();
      workdir.checkout(target, NullProgressMonitor.INSTANCE);
      WorkTrees.assertMatches(node, repo, target);
    }
    assertThat(node.resolve(".git").resolve(DescendantFetch.QUARANTINE)).doesNotExist();
    fsck(node);

    ObjectId next = remote.commit("preprod", "candidate 4", Map.of("app.txt", "version 13\n"));
    try (Workdir workdir = Workdir.open(node, remote.uri())) {
      assertThat(workdir.fetch(PREPROD, NullProgressMonitor.INSTANCE))
          .as("the next ordinary fetch works as on any shallow node")
          .isEqualTo(next);
      workdir.checkout(next, NullProgressMonitor.INSTANCE);
      WorkTrees.assertMatches(node, workdir.repository(), next);
    }
    fsck(node);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aRunKilledAfterTheFetchIsFollowedByOneThatFindsTheSameAnswer(Transport transport)
      throws Exception {
    Path node = install(MASTER);
    ObjectId base = remote.tip("master");
    ObjectId target = remote.commit("master", "release 13", Map.of("app.txt", "13\n"));
    assertThat(fetchDescendant(transport, node, MASTER, base)).contains(target);

    assertThat(fetchDescendant(transport, node, MASTER, base))
        .as("asked again before the checkout, as a recovering run does")
        .contains(target);
    fsck(node);

    try (Workdir workdir = Workdir.open(node, remote.uri())) {
      assertThat(workdir.fetch(MASTER, NullProgressMonitor.INSTANCE, true)).isEqualTo(target);
      Repository repo = workdir.repository();
      assertThat(repo.getObjectDatabase().getShallowCommits())
          .as("the whole history after a full fetch")
          .isEmpty();
      try (RevWalk walk = new RevWalk(repo)) {
        assertThat(walk.isMergedInto(walk.parseCommit(oldest), walk.parseCommit(target))).isTrue();
      }
    }
    fsck(node);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aMergeOfAnOldSideBranchIsFoundThroughTheNodesCommit(Transport transport) throws Exception {
    Path node = install(MASTER);
    ObjectId base = remote.tip("master");
    remote.setBranch("feature", oldest);
    remote.commit("feature", "feature 1", Map.of("feature.txt", "one\n"));
    ObjectId feature = remote.commit("feature", "feature 2", Map.of("feature.txt", "two\n"));
    remote.setBranch("preprod", base);
    remote.commit("preprod", "candidate", Map.of("app.txt", "candidate\n"));
    ObjectId target = merge("preprod", feature);

    Optional<ObjectId> fetched = fetchDescendant(transport, node, PREPROD, base);

    assertThat(fetched).contains(target);
    try (Workdir workdir = Workdir.open(node, remote.uri())) {
      workdir.checkout(target, NullProgressMonitor.INSTANCE);
      WorkTrees.assertMatches(node, workdir.repository(), target);
    }
    fsck(node);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void leavingForAnOlderCommitTouchesNothing(Transport transport) throws Exception {
    remote.setBranch("preprod", remote.tip("master"));
    remote.commit("preprod", "candidate", Map.of("app.txt", "candidate\n"));
    Path node = install(PREPROD);
    ObjectId base = remote.tip("preprod");
    Map<String, String> before = snapshot(node);

    Optional<ObjectId> fetched = fetchDescendant(transport, node, MASTER, base);

    assertThat(fetched).isEmpty();
    assertThat(snapshot(node)).isEqualTo(before);
    fsck(node);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aBranchReplacedByUnrelatedHistoryTouchesNothing(Transport transport) throws Exception {
    Path node = install(MASTER);
    ObjectId base = remote.tip("master");
    remote.commit("replacement", "a new root", Map.of("other.txt", "unrelated\n"));
    remote.commit("replacement", "more", Map.of("other.txt", "still unrelated\n"));
    remote.setBranch("preprod", remote.tip("replacement"));
    Map<String, String> before = snapshot(node);

    Optional<ObjectId> fetched = fetchDescendant(transport, node, PREPROD, base);

    assertThat(fetched).isEmpty();
    assertThat(snapshot(node)).isEqualTo(before);
    fsck(node);
  }

  @Test
  void aForcePushToAnOlderCommitOfTheSameHistoryTouchesNothing() throws Exception {
    Path node = install(MASTER);
    ObjectId base = remote.tip("master");
    remote.setBranch("preprod", oldest);
    Map<String, String> before = snapshot(node);

    assertThat(fetchDescendant(Transport.FILE, node, PREPROD, base)).isEmpty();

    assertThat(snapshot(node)).isEqualTo(before);
    fsck(node);
  }

  @Test
  void aQuarantineLeftByAKilledRunIsRemovedFirst() throws Exception {
    Path node = install(MASTER);
    ObjectId base = remote.tip("master");
    ObjectId target = remote.commit("master", "release 13", Map.of("app.txt", "13\n"));
    Path left = node.resolve(".git").resolve(DescendantFetch.QUARANTINE);
    Files.createDirectories(left.resolve("objects/pack"));
    Files.writeString(left.resolve("objects/pack/pack-half.pack"), "PACK half written");
    Files.writeString(left.resolve("shallow"), "not even an id\n");

    assertThat(fetchDescendant(Transport.FILE, node, MASTER, base)).contains(target);

    assertThat(left).doesNotExist();
    assertThat(packNames(node)).noneMatch(name -> name.contains("half"));
    fsck(node);
  }

  @Test
  void aNodeWithHistoryOrAwayFromItsHeadIsNotAskedThisWay() throws Exception {
    Path full = tmp.resolve("full");
    Git.cloneRepository().setURI(remote.uri()).setDirectory(full.toFile()).call().close();
    ObjectId base = remote.tip("master");
    remote.commit("master", "release 13", Map.of("app.txt", "13\n"));
    Map<String, String> before = snapshot(full);

    assertThat(fetchDescendant(Transport.FILE, full, MASTER, base)).isEmpty();
    assertThat(snapshot(full)).as("a full clone fetches what it lacks instead").isEqualTo(before);

    Path shallow = install(MASTER);
    Map<String, String> shallowBefore = snapshot(shallow);
    assertThat(fetchDescendant(Transport.FILE, shallow, MASTER, oldest))
        .as("asked about a commit that is not HEAD")
        .isEmpty();
    assertThat(snapshot(shallow)).isEqualTo(shallowBefore);
  }

  @Test
  void aCommitWhoseTreeLacksAnObjectIsNotTakenForADescendant() throws Exception {
    Path node = install(MASTER);
    ObjectId base = remote.tip("master");
    try (Workdir workdir = Workdir.open(node, remote.uri())) {
      Repository repo = workdir.repository();
      ObjectId whole = commitOnTop(repo, base, blob(repo, "present\n"));
      ObjectId missingBlob = ObjectId.fromString("0123456789abcdef0123456789abcdef01234567");
      ObjectId broken = commitOnTop(repo, base, missingBlob);

      assertThat(DescendantFetch.commitsDownTo(repo, whole, base)).isEqualTo(1);
      assertThat(DescendantFetch.commitsDownTo(repo, broken, base))
          .as("a tree that names a missing blob is not a checkout")
          .isEqualTo(-1);
      assertThat(DescendantFetch.commitsDownTo(repo, base, whole))
          .as("the other way round is not descent")
          .isEqualTo(-1);
    }
  }

  // --- helpers ---

  /** A node installed shallow (depth 1) at the branch, as a first run does. */
  private Path install(String ref) throws IOException {
    Path node = tmp.resolve("node-" + ref.replace('/', '-'));
    try (Workdir workdir = Workdir.open(node, remote.uri())) {
      workdir.checkout(
          workdir.fetch(ref, NullProgressMonitor.INSTANCE), NullProgressMonitor.INSTANCE);
      assertThat(workdir.repository().getObjectDatabase().getShallowCommits()).isNotEmpty();
    }
    return node;
  }

  private Optional<ObjectId> fetchDescendant(
      Transport transport, Path node, String ref, ObjectId base) throws Exception {
    assumeTrue(transport == Transport.FILE || GitCli.available(), "git is not installed");
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path root = remote.dir().getParent();
    String name = remote.dir().getFileName().toString();
    switch (transport) {
      case FILE -> {
        return fetchDescendant(node, remote.uri(), false, ref, base);
      }
      case GIT_V0 -> {
        try (GitDaemon daemon = GitDaemon.serve(root, home)) {
          return fetchDescendant(node, daemon.url(name), true, ref, base);
        }
      }
      case HTTP_V0_ONLY, HTTP_V2 -> {
        HttpGitServer.Mode mode =
            transport == Transport.HTTP_V2 ? HttpGitServer.Mode.V2 : HttpGitServer.Mode.V0_ONLY;
        try (HttpGitServer server = HttpGitServer.serve(root, home, mode)) {
          return fetchDescendant(node, server.url(name), false, ref, base);
        }
      }
      default -> throw new IllegalArgumentException(transport.name());
    }
  }

  private static Optional<ObjectId> fetchDescendant(
      Path node, String url, boolean protocolV0, String ref, ObjectId base) throws IOException {
    try (Workdir workdir = Workdir.open(node, url)) {
      if (protocolV0) {
        StoredConfig config = workdir.repository().getConfig();
        config.setString("protocol", null, "version", "0");
        config.save();
      }
      return workdir.fetchDescendant(ref, base, NullProgressMonitor.INSTANCE);
    }
  }

  /** A merge commit on the branch with {@code other} as its second parent, the branch's tree. */
  private ObjectId merge(String branch, ObjectId other) throws IOException {
    Repository repo = remote.repository();
    ObjectId first = remote.tip(branch);
    try (ObjectInserter inserter = repo.newObjectInserter();
        RevWalk walk = new RevWalk(repo)) {
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(walk.parseCommit(first).getTree());
      commit.setParentIds(first, other);
      PersonIdent who = new PersonIdent("merger", "merger@sluice.invalid");
      commit.setAuthor(who);
      commit.setCommitter(who);
      commit.setMessage("merge\n");
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      remote.setBranch(branch, id);
      return id;
    }
  }

  private static ObjectId blob(Repository repo, String content) throws IOException {
    try (ObjectInserter inserter = repo.newObjectInserter()) {
      ObjectId id = inserter.insert(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8));
      inserter.flush();
      return id;
    }
  }

  private static ObjectId commitOnTop(Repository repo, ObjectId parent, ObjectId blob)
      throws IOException {
    try (ObjectInserter inserter = repo.newObjectInserter()) {
      TreeFormatter tree = new TreeFormatter();
      tree.append("app.txt", FileMode.REGULAR_FILE, blob);
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(inserter.insert(tree));
      commit.setParentId(parent);
      PersonIdent who = new PersonIdent("test", "test@sluice.invalid");
      commit.setAuthor(who);
      commit.setCommitter(who);
      commit.setMessage("on top\n");
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      return id;
    }
  }

  /** Every file under .git with its content (packs by name and size), for "untouched" checks. */
  private static Map<String, String> snapshot(Path node) throws IOException {
    Path git = node.resolve(".git");
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(git)) {
      for (Path file : all.filter(Files::isRegularFile).toList()) {
        String name = git.relativize(file).toString();
        if (name.startsWith("logs/")
            || name.equals("index")
            || name.equals("FETCH_HEAD")
            || name.equals("config")) { // the v0 transport sets protocol.version there
          continue;
        }
        files.put(
            name,
            name.startsWith("objects/")
                ? String.valueOf(Files.size(file))
                : Files.readString(file, StandardCharsets.ISO_8859_1));
      }
    }
    return files;
  }

  private static List<String> packNames(Path node) throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> packs = Files.list(node.resolve(".git/objects/pack"))) {
      packs.forEach(p -> names.add(p.getFileName().toString()));
    }
    return names;
  }

  /** {@code git fsck --strict} finds nothing wrong (dangling objects are not wrong). */
  private void fsck(Path node) throws Exception {
    assumeTrue(GitCli.available(), "git is not installed");
    Process fsck =
        GitCli.builder(
                tmp.resolve("home"), "-C", node.toString(), "fsck", "--strict", "--no-progress")
            .redirectErrorStream(true)
            .start();
    String out = new String(fsck.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(fsck.waitFor()).as(out).isZero();
    assertThat(out).doesNotContain("broken", "missing", "error");
  }
}
