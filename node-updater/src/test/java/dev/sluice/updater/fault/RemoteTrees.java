package dev.sluice.updater.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;

/**
 * Writes commits with exactly the given tree (file modes included) straight into a bare
 * repository's object database, and commits whose tree no git would accept ({@code .git}, {@code
 * ..}): the object inserter runs no checks, and a fetch without {@code fsckObjects} takes them.
 */
final class RemoteTrees {

  /** One file of a tree. */
  record FileSpec(String content, boolean executable) {
    static FileSpec of(String content) {
      return new FileSpec(content, false);
    }

    static FileSpec executable(String content) {
      return new FileSpec(content, true);
    }

    FileMode mode() {
      return executable ? FileMode.EXECUTABLE_FILE : FileMode.REGULAR_FILE;
    }
  }

  private RemoteTrees() {}

  /** A commit whose tree is exactly {@code files}, on top of {@code parent} (null for none). */
  static ObjectId commit(
      Repository repo, ObjectId parent, Map<String, FileSpec> files, String message, Instant when) {
    try (ObjectInserter inserter = repo.newObjectInserter()) {
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      for (Map.Entry<String, FileSpec> file : new TreeMap<>(files).entrySet()) {
        DirCacheEntry entry = new DirCacheEntry(file.getKey());
        entry.setFileMode(file.getValue().mode());
        entry.setObjectId(
            inserter.insert(
                Constants.OBJ_BLOB, file.getValue().content().getBytes(StandardCharsets.UTF_8)));
        builder.add(entry);
      }
      builder.finish();
      ObjectId tree = index.writeTree(inserter);
      ObjectId commit = insertCommit(inserter, parent, tree, message, when);
      inserter.flush();
      return commit;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A commit whose tree holds {@code app.txt} and a directory named {@code hostileName} (for
   * example {@code .git} or {@code ..}) with one file {@code inside} in it.
   */
  static ObjectId hostileCommit(
      Repository repo, ObjectId parent, String hostileName, String inside, Instant when) {
    try (ObjectInserter inserter = repo.newObjectInserter()) {
      ObjectId blob =
          inserter.insert(Constants.OBJ_BLOB, "planted\n".getBytes(StandardCharsets.UTF_8));
      TreeFormatter sub = new TreeFormatter();
      sub.append(inside, FileMode.REGULAR_FILE, blob);
      ObjectId subTree = inserter.insert(sub);
      ObjectId app =
          inserter.insert(Constants.OBJ_BLOB, "hostile\n".getBytes(StandardCharsets.UTF_8));
      // Entries sorted as git sorts them: '.'-names before letters.
      TreeFormatter root = new TreeFormatter();
      root.append(hostileName, FileMode.TREE, subTree);
      root.append("app.txt", FileMode.REGULAR_FILE, app);
      ObjectId tree = inserter.insert(root);
      ObjectId commit = insertCommit(inserter, parent, tree, "hostile " + hostileName, when);
      inserter.flush();
      return commit;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectId insertCommit(
      ObjectInserter inserter, ObjectId parent, ObjectId tree, String message, Instant when)
      throws IOException {
    CommitBuilder commit = new CommitBuilder();
    commit.setTreeId(tree);
    if (parent != null) {
      commit.setParentId(parent);
    }
    PersonIdent who = new PersonIdent("Sluice Test", "test@sluice.invalid", when, ZoneOffset.UTC);
    commit.setAuthor(who);
    commit.setCommitter(who);
    commit.setMessage(message + "\n");
    return inserter.insert(commit);
  }
}
