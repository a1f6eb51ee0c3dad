package dev.sluice.updater.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.core.git.RemoteAccess;
import dev.sluice.core.report.Action;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.updater.TestNode;
import dev.sluice.updater.run.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saved work stays bounded by the retention rule and findable, with a restore that works. */
class SavedWorkTest {

  private static final Instant START = Instant.parse("2026-03-10T08:00:00Z");

  /** More updates with saved work than fetching used to survive (about 16 over file://). */
  private static final int UPDATES = 24;

  @TempDir Path tmp;

  @Test
  void aSavedRefIsPrunedOnlyWhenBeyondTheNewestNAndOlderThanD() throws Exception {
    try (TestRemote remote = TestRemote.create(tmp);
        Workdir workdir = installed(remote, new SavedRetention(3, Duration.ofDays(10)))) {
      // Six saves a day apart, then six more on the day of the last one.
      for (int day = 0; day < 6; day++) {
        leaveWork(workdir, "day" + day);
        Saves.saveAndReset(workdir, START.plus(Duration.ofDays(day)));
      }
      assertThat(entries(workdir)).hasSize(6); // none is older than ten days yet

      Instant later = START.plus(Duration.ofDays(14));
      for (int i = 0; i < 2; i++) {
        leaveWork(workdir, "late" + i);
        Saves.saveAndReset(workdir, later.plusSeconds(i));
      }

      // Kept: the newest three, whatever their age. Days 0-4 were beyond the newest three and
      // older than ten days at the last save (day 4 exactly ten days and one second).
      assertThat(entries(workdir))
          .extracting(SavedWorkEntry::savedAt)
          .containsExactly(later.plusSeconds(1), later, START.plus(Duration.ofDays(5)));
    }
  }

  @Test
  void manyYoungSavedRefsAreAllKept() throws Exception {
    try (TestRemote remote = TestRemote.create(tmp);
        Workdir workdir = installed(remote, new SavedRetention(2, Duration.ofDays(90)))) {
      for (int i = 0; i < 5; i++) {
        leaveWork(workdir, "n" + i);
        Saves.saveAndReset(workdir, START.plus(Duration.ofDays(i)));
      }
      assertThat(entries(workdir)).hasSize(5);
    }
  }

  @Test
  void listingNamesTimeFilesAndARestoreCommandThatWorks() throws Exception {
    try (TestRemote remote = TestRemote.create(tmp);
        Workdir workdir = installed(remote, SavedRetention.DEFAULT)) {
      Files.writeString(workdir.dir().resolve("app.txt"), "hot fix\n");
      Files.writeString(workdir.dir().resolve("cache.dat"), "generated\n");
      SavedChanges saved = Saves.saveAndReset(workdir, START).orElseThrow();
      assertThat(Files.readString(workdir.dir().resolve("app.txt"))).isEqualTo("version 0\n");
      assertThat(workdir.repository().exactRef("refs/stash"))
          .as("the work is kept under its own ref only")
          .isNull();

      List<SavedWorkEntry> entries = SavedWork.list(workdir.dir());

      assertThat(entries).hasSize(1);
      SavedWorkEntry entry = entries.get(0);
      assertThat(entry.ref()).isEqualTo(saved.ref()).startsWith(SavedWork.PREFIX);
      assertThat(entry.commit()).isEqualTo(saved.commit().name());
      assertThat(entry.savedAt()).isEqualTo(START);
      assertThat(entry.files()).containsExactly("app.txt", "cache.dat");
      assertThat(entry.restore()).endsWith(" stash apply " + saved.ref());

      assumeTrue(GitCli.available(), "git is not installed");
      Path home = tmp.resolve("home");
      String[] restore = entry.restore().replaceFirst("^git ", "").split(" ");
      Process git = GitCli.builder(home, restore).redirectErrorStream(true).start();
      String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(git.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(git.exitValue()).as(output).isZero();
      assertThat(Files.readString(workdir.dir().resolve("app.txt"))).isEqualTo("hot fix\n");
      assertThat(Files.readString(workdir.dir().resolve("cache.dat"))).isEqualTo("generated\n");
    }
  }

  @Test
  void manyUpdatesWithLocalWorkEachTimeAllSucceedAndKeepEveryYoungSave() throws Exception {
    try (TestRemote remote = TestRemote.create(tmp)) {
      TestNode node = new TestNode(tmp.resolve("node"), remote.uri(), START, 7);
      assertThat(node.run().report().action()).isEqualTo(Action.UPDATED);
      for (int i = 1; i <= UPDATES; i++) {
        // The app writes a file git does not ignore, as many do.
        Files.writeString(node.workdir.resolve("app-cache.dat"), "cache " + i + "\n");
        remote.commit("master", "release " + i, Map.of("app.txt", "version " + i + "\n"));
        node.advance(Duration.ofHours(1));

        RunResult result = node.run();

        assertThat(result.report().action())
            .as(result.report().message())
            .isEqualTo(Action.UPDATED);
        assertThat(result.report().savedLocalChanges()).isNotNull();
      }
      assertThat(SavedWork.list(node.workdir)).hasSize(UPDATES); // all younger than 90 days
    }
  }

  @Test
  void aRunPrunesWhatTheRetentionDoesNotKeep() throws Exception {
    try (TestRemote remote = TestRemote.create(tmp)) {
      TestNode node = new TestNode(tmp.resolve("node"), remote.uri(), START, 7);
      SavedRetention retention = new SavedRetention(5, Duration.ofDays(10));
      assertThat(node.run(r -> r.withSavedRetention(retention)).report().action())
          .isEqualTo(Action.UPDATED);
      for (int i = 1; i <= 20; i++) {
        Files.writeString(node.workdir.resolve("app-cache.dat"), "cache " + i + "\n");
        remote.commit("master", "release " + i, Map.of("app.txt", "version " + i + "\n"));
        node.advance(Duration.ofDays(1));
        RunResult result = node.run(r -> r.withSavedRetention(retention));
        assertThat(result.report().action())
            .as(result.report().message())
            .isEqualTo(Action.UPDATED);
      }

      List<SavedWorkEntry> kept = SavedWork.list(node.workdir);
      assertThat(kept).hasSize(11); // days 10-20: younger than ten days, or exactly ten
      assertThat(kept.get(kept.size() - 1).savedAt())
          .isEqualTo(node.now().minus(Duration.ofDays(10)));
    }
  }

  private Workdir installed(TestRemote remote, SavedRetention retention) {
    Workdir workdir = Workdir.open(tmp.resolve("node"), RemoteAccess.of(remote.uri()), retention);
    workdir.checkout(
        workdir.fetch("refs/heads/master", NullProgressMonitor.INSTANCE),
        NullProgressMonitor.INSTANCE);
    return workdir;
  }

  private static void leaveWork(Workdir workdir, String name) throws IOException {
    Files.writeString(workdir.dir().resolve(name + ".dat"), name + "\n");
  }

  private static List<SavedWorkEntry> entries(Workdir workdir) {
    return SavedWork.list(workdir.dir());
  }
}
