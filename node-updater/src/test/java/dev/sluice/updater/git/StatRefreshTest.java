package dev.sluice.updater.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.testing.TestRemote;
import dev.sluice.updater.TestNode;
import dev.sluice.updater.run.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.IndexDiff;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check of an unchanged node records settled files' size and time in the index, so the next
 * check need not hash them; a file whose content differs is never recorded as clean.
 */
class StatRefreshTest {

  @TempDir Path tmp;

  TestRemote remote;
  TestNode node;

  @BeforeEach
  void setUp() {
    remote = TestRemote.create(tmp);
    Map<String, String> files = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      files.put("src/file" + i + ".txt", "content of file " + i + "\n");
    }
    remote.commit("master", "app", files);
    node = new TestNode(tmp.resolve("node"), remote.uri(), TestRemote.EPOCH, 7);
    RunResult installed = node.run();
    assertThat(installed.exitCode()).isZero();
  }

  @AfterEach
  void tearDown() {
    remote.close();
  }

  /** Makes every tracked file look written an hour ago: settled, as on a node between runs. */
  private void settle() throws Exception {
    FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
    try (Stream<Path> files = Files.walk(node.workdir.resolve("src"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.setLastModifiedTime(file, old);
      }
    }
  }

  private int smudged() throws Exception {
    try (Git git = Git.open(node.workdir.toFile())) {
      DirCache index = git.getRepository().readDirCache();
      int count = 0;
      for (int i = 0; i < index.getEntryCount(); i++) {
        if (index.getEntry(i).isSmudged()) {
          count++;
        }
      }
      return count;
    }
  }

  private Workdir.TreeCheck check() {
    try (Workdir workdir = Workdir.open(node.workdir, remote.uri())) {
      return workdir.check(Instant.now());
    }
  }

  @Test
  void aCleanCheckRecordsSettledFilesSoTheNextOneNeedNotHashThem() throws Exception {
    settle();
    assertThat(smudged())
        .as("after the checkout, the index cannot vouch for the files")
        .isPositive();

    assertThat(check().modified()).isEmpty();

    assertThat(smudged()).isZero();
    assertThat(check().modified()).isEmpty();
  }

  @Test
  void aFileChangedAfterTheRefreshIsStillCaught() throws Exception {
    settle();
    check();
    assertThat(smudged()).isZero();

    Path file = node.workdir.resolve("src/file3.txt");
    Files.writeString(file, "CONTENT OF FILE 3\n"); // same size, new time

    assertThat(check().modified()).containsExactly("src/file3.txt");
  }

  @Test
  void aCorruptedFileIsNeverRecordedAsClean() throws Exception {
    Path file = node.workdir.resolve("src/file5.txt");
    Files.writeString(file, "CONTENT OF FILE 5\n"); // same size as the original
    settle(); // and a time that would let a refresh vouch for it

    assertThat(check().modified()).containsExactly("src/file5.txt");
    assertThat(check().modified()).containsExactly("src/file5.txt");
    assertThat(indexTime("src/file5.txt"))
        .isNotEqualTo(Files.getLastModifiedTime(file).toInstant().toString());
  }

  @Test
  void touchedFilesAreRecordedAgainOnceTheirContentIsChecked() throws Exception {
    settle();
    check();
    Files.setLastModifiedTime(
        node.workdir.resolve("src/file7.txt"), FileTime.from(Instant.now().minusSeconds(60)));
    String before = indexTime("src/file7.txt");

    assertThat(check().modified()).isEmpty();

    assertThat(indexTime("src/file7.txt")).isNotEqualTo(before);
    assertThat(check().modified()).isEmpty();
  }

  /** Compares the tree with the index as a check does; whether the refresh would then run. */
  private boolean refreshWanted() throws Exception {
    try (Git git = Git.open(node.workdir.toFile())) {
      StatRefresh.Watch tree = new StatRefresh.Watch(git.getRepository());
      new IndexDiff(git.getRepository(), Constants.HEAD, tree).diff();
      return tree.refreshWanted();
    }
  }

  @Test
  void theRefreshIsSkippedOnlyWhenTheIndexVouchesForEveryCleanFile() throws Exception {
    settle();
    assertThat(refreshWanted()).as("smudged after the checkout").isTrue();
    check();
    assertThat(refreshWanted()).as("every entry recorded by the last check").isFalse();

    Files.setLastModifiedTime(
        node.workdir.resolve("src/file7.txt"), FileTime.from(Instant.now().minusSeconds(60)));
    assertThat(refreshWanted()).as("a touched file, same content").isTrue();
    check();
    assertThat(refreshWanted()).isFalse();

    Files.writeString(node.workdir.resolve("src/file3.txt"), "CONTENT OF FILE 3\n");
    assertThat(refreshWanted())
        .as("a changed file is the check's to report, not to record")
        .isFalse();
    assertThat(check().modified()).containsExactly("src/file3.txt");
    assertThat(check().modified()).containsExactly("src/file3.txt");
  }

  private String indexTime(String path) throws Exception {
    try (Git git = Git.open(node.workdir.toFile())) {
      return git.getRepository().readDirCache().getEntry(path).getLastModifiedInstant().toString();
    }
  }

  @Test
  void recentlyWrittenFilesStayComparedByContent() throws Exception {
    settle();
    check();
    Path file = node.workdir.resolve("src/file9.txt");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
    String before = indexTime("src/file9.txt");

    assertThat(check().modified()).isEmpty();

    assertThat(indexTime("src/file9.txt")).as("too recent to vouch for").isEqualTo(before);
  }
}
