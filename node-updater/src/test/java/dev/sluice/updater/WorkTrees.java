package dev.sluice.updater;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/** Assertions on a node's working tree against a commit in the remote. */
public final class WorkTrees {

  private WorkTrees() {}

  /** Every file of the commit's tree, path to content. */
  public static Map<String, String> treeOf(Repository repo, ObjectId commit) {
    Map<String, String> files = new TreeMap<>();
    try (RevWalk walk = new RevWalk(repo);
        TreeWalk tree = new TreeWalk(repo)) {
      tree.addTree(walk.parseCommit(commit).getTree());
      tree.setRecursive(true);
      while (tree.next()) {
        byte[] bytes = repo.open(tree.getObjectId(0)).getBytes();
        files.put(tree.getPathString(), new String(bytes, StandardCharsets.UTF_8));
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every file in the working tree outside .git and the given extra paths, path to content. */
  public static Map<String, String> filesIn(Path workdir, Set<String> ignoredPrefixes) {
    try (Stream<Path> paths = Files.walk(workdir)) {
      return paths
          .filter(Files::isRegularFile)
          .map(p -> workdir.relativize(p).toString().replace('\\', '/'))
          .filter(p -> !p.startsWith(".git/"))
          .filter(p -> ignoredPrefixes.stream().noneMatch(p::startsWith))
          .collect(
              Collectors.toMap(p -> p, p -> read(workdir.resolve(p)), (a, b) -> a, TreeMap::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The working tree holds exactly the commit's files (besides the ignored prefixes). */
  public static void assertMatches(
      Path workdir, Repository repo, ObjectId commit, String... ignoredPrefixes) {
    assertThat(filesIn(workdir, Set.of(ignoredPrefixes)))
        .as("files in %s against commit %s", workdir, commit.name())
        .isEqualTo(treeOf(repo, commit));
  }

  public static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
