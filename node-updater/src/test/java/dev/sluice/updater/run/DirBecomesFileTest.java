package dev.sluice.updater.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.report.Action;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.updater.TestNode;
import dev.sluice.updater.WorkTrees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release that turns a tracked directory into a file, on a node with local work inside that
 * directory: the run reaches the release and keeps the work in the saved ref.
 */
class DirBecomesFileTest {

  static final Instant START = Instant.parse("2026-03-10T08:00:00Z");

  @TempDir Path tmp;

  TestRemote remote;
  TestNode node;
  ObjectId v100;
  ObjectId v110;

  @BeforeEach
  void setUp() {
    remote = TestRemote.create(tmp);
    v100 =
        remote.commit(
            "master", "1.0.0", Map.of("app.txt", "one\n", "conf/x.txt", "x\n", "run.sh", "r\n"));
    remote.tag("v1.0.0", v100, "release 1.0.0");
    node = new TestNode(tmp.resolve("node"), remote.uri(), START, 7);
    node.nextTicket(0.9); // stable
    assertThat(node.run().exitCode()).isZero();
  }

  @AfterEach
  void tearDown() {
    remote.close();
  }

  private void releaseConfAsAFile() {
    Map<String, String> changes = new LinkedHashMap<>();
    changes.put("conf/x.txt", null);
    changes.put("conf", "now a file\n");
    changes.put("app.txt", "two\n");
    v110 = remote.commit("master", "1.1.0", changes);
    remote.tag("v1.1.0", v110, "release 1.1.0");
  }

  @Test
  void anEditedFileInTheDirectoryIsSavedAndTheRunReachesTheRelease() throws Exception {
    Files.writeString(node.workdir.resolve("conf/x.txt"), "edited\n");
    Files.writeString(node.workdir.resolve("notes.txt"), "mine\n");
    Files.setPosixFilePermissions(
        node.workdir.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    releaseConfAsAFile();

    RunResult moved = node.run();

    assertThat(moved.exitCode()).as(String.valueOf(moved.report().warnings())).isZero();
    assertThat(moved.report().action()).isEqualTo(Action.UPDATED);
    WorkTrees.assertMatches(node.workdir, remote.repository(), v110);
    assertThat(node.workdir.resolve("conf")).hasContent("now a file");
    String ref = moved.report().savedLocalChanges();
    assertThat(ref).startsWith("refs/sluice/saved/");
    assertThat(moved.report().warnings())
        .anyMatch(w -> w.contains(ref) && w.contains("conf/x.txt"));
    assertThat(saved(ref, "conf/x.txt")).isEqualTo("edited\n");
    assertThat(saved(ref, "notes.txt")).isEqualTo("mine\n");
  }

  @Test
  void anUntrackedFileInTheDirectoryIsSavedNotLost() throws Exception {
    Files.writeString(node.workdir.resolve("conf/x.txt"), "edited\n");
    Files.writeString(node.workdir.resolve("conf/local.txt"), "only here\n");
    releaseConfAsAFile();

    RunResult moved = node.run();

    assertThat(moved.exitCode()).as(String.valueOf(moved.report().warnings())).isZero();
    assertThat(moved.report().action()).isEqualTo(Action.UPDATED);
    WorkTrees.assertMatches(node.workdir, remote.repository(), v110);
    String ref = moved.report().savedLocalChanges();
    assertThat(saved(ref, "conf/x.txt")).isEqualTo("edited\n");
    assertThat(saved(ref, "conf/local.txt")).isEqualTo("only here\n");
  }

  @Test
  void onlyAnUntrackedFileInTheDirectoryIsSavedNotLost() throws Exception {
    Files.writeString(node.workdir.resolve("conf/local.txt"), "only here\n");
    releaseConfAsAFile();

    RunResult moved = node.run();

    assertThat(moved.exitCode()).as(String.valueOf(moved.report().warnings())).isZero();
    assertThat(moved.report().action()).isEqualTo(Action.UPDATED);
    WorkTrees.assertMatches(node.workdir, remote.repository(), v110);
    String ref = moved.report().savedLocalChanges();
    assertThat(saved(ref, "conf/local.txt")).isEqualTo("only here\n");
  }

  /** The content of {@code path} in the saved commit: the work tree side or its untracked side. */
  private String saved(String ref, String path) throws Exception {
    try (Git git = Git.open(node.workdir.toFile());
        RevWalk walk = new RevWalk(git.getRepository())) {
      Repository repo = git.getRepository();
      RevCommit saved = walk.parseCommit(repo.exactRef(ref).getObjectId());
      for (RevCommit side :
          saved.getParentCount() > 2
              ? new RevCommit[] {saved, saved.getParent(2)}
              : new RevCommit[] {saved}) {
        RevCommit c = walk.parseCommit(side);
        try (TreeWalk tree = TreeWalk.forPath(repo, path, c.getTree())) {
          if (tree != null) {
            return new String(repo.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
          }
        }
      }
      return null;
    }
  }
}
