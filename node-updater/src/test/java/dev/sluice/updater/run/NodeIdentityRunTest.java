package dev.sluice.updater.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.report.NodeReport;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.updater.TestNode;
import dev.sluice.updater.state.NodeIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node keeps one id whatever happens to its state file, and reports a name operators know. */
class NodeIdentityRunTest {

  static final Instant START = Instant.parse("2026-03-10T08:00:00Z");
  static final String MACHINE_ID = "4c1e7d2f9a0b4e3c8d5f6a7b8c9d0e1f";

  @TempDir Path tmp;

  TestRemote remote;
  TestNode node;
  Path machineId;
  Path hostname;
  ObjectId tip;

  @BeforeEach
  void setUp() throws Exception {
    remote = TestRemote.create(tmp);
    tip = remote.commit("master", "app", Map.of("app.txt", "1\n"));
    node = new TestNode(tmp.resolve("node"), remote.uri(), START, 7);
    machineId = Files.writeString(tmp.resolve("machine-id"), MACHINE_ID + "\n");
    hostname = Files.writeString(tmp.resolve("hostname"), "flux-node-042\n");
  }

  @AfterEach
  void tearDown() {
    remote.close();
  }

  private RunResult run(NodeIdentity.Source source) {
    return node.run(r -> r.withIdentity(source).withGroups(List.of("farm-1")));
  }

  @Test
  void idComesFromTheMachineIdAndSurvivesALostStateFileAndALostCopy() throws Exception {
    NodeIdentity.Source source = new NodeIdentity.Source(machineId, hostname, null);
    NodeReport first = run(source).report();

    Files.delete(node.state);
    Files.delete(node.workdir.resolve(".git").resolve(NodeIdentity.FILE));
    NodeReport second = run(source).report();

    assertThat(second.node()).isEqualTo(first.node());
    assertThat(first.node()).doesNotContain(MACHINE_ID.substring(0, 8));
    assertThat(first.node().replace("-", "")).doesNotContain(MACHINE_ID);
    assertThat(first.name()).isEqualTo("flux-node-042");
    assertThat(first.groups()).containsExactly("farm-1");
    assertThat(first.updaterVersion()).isEqualTo(UpdaterVersion.current());
    assertThat(first.remote()).isEqualTo(remote.uri());
  }

  @Test
  void twoWorkTreesOnOneMachineAreTwoNodes() {
    NodeIdentity.Source source = new NodeIdentity.Source(machineId, hostname, null);
    String one = run(source).report().node();
    TestNode other = new TestNode(tmp.resolve("other"), remote.uri(), START, 8);
    String two = other.run(r -> r.withIdentity(source)).report().node();

    assertThat(two).isNotEqualTo(one);
  }

  @Test
  void withoutAMachineIdTheCopyBesideTheWorkTreeKeepsTheId() throws Exception {
    NodeIdentity.Source source =
        new NodeIdentity.Source(tmp.resolve("no-such-machine-id"), hostname, "edge-7");
    NodeReport first = run(source).report();

    Files.delete(node.state);
    NodeReport second = run(source).report();

    assertThat(second.node()).isEqualTo(first.node());
    assertThat(second.warnings()).anyMatch(w -> w.contains("kept id " + first.node()));
    assertThat(second.name()).isEqualTo("edge-7");
  }

  @Test
  void anEmptyOrUninitialisedMachineIdIsNotUsed() throws Exception {
    Files.writeString(machineId, "uninitialized\n");
    NodeIdentity.Source source = new NodeIdentity.Source(machineId, hostname, null);
    String first = run(source).report().node();
    Files.writeString(machineId, "");
    String second = run(source).report().node();

    assertThat(second).isEqualTo(first);
    assertThat(first).isNotEqualTo(derivedFor(MACHINE_ID));
  }

  @Test
  void aNodeFirstRunWithoutTheMachineIdMovesToTheDerivedIdOnceAndSaysSo() {
    String stored = run(NodeIdentity.Source.NONE).report().node();

    NodeReport moved = run(new NodeIdentity.Source(machineId, hostname, null)).report();
    NodeReport after = run(new NodeIdentity.Source(machineId, hostname, null)).report();

    assertThat(moved.node()).isNotEqualTo(stored).isEqualTo(after.node());
    assertThat(moved.warnings())
        .anyMatch(w -> w.contains("node id " + stored + " is now " + moved.node()));
    assertThat(after.warnings()).noneMatch(w -> w.contains("is now"));
  }

  @Test
  void theConfiguredNameWinsOverTheHostName() {
    NodeReport report = run(new NodeIdentity.Source(machineId, hostname, " rack-3 ")).report();

    assertThat(report.name()).isEqualTo("rack-3");
  }

  private String derivedFor(String machine) {
    try {
      Path other = Files.writeString(tmp.resolve("machine-id-2"), machine);
      return NodeIdentity.peek(node.workdir, new NodeIdentity.Source(other, null, null))
          .orElseThrow();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
