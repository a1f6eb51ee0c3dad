package dev.sluice.updater.git;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Set;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * A stash-shaped commit of the node's local work, written <b>without touching the working tree</b>:
 * the work-tree commit (parents HEAD, the index commit and, when there are untracked files, a
 * commit of them), so {@code git stash apply} restores it. Unlike JGit's stash it keeps file modes
 * (a local {@code chmod +x} is local work too) and resets nothing, so a run killed before the ref
 * naming it exists has lost nothing: the work is still in the tree.
 */
final class LocalWork {

  private LocalWork() {}

  /** Writes the commit and returns it; the caller names it with a ref. */
  static ObjectId snapshot(Repository repo, Path dir, Status status, Instant now, String why)
      throws IOException {
    PersonIdent who =
        new PersonIdent("sluice node-updater", "node-updater@sluice.invalid", now, ZoneOffset.UTC);
    try (ObjectInserter inserter = repo.newObjectInserter();
        ObjectReader reader = repo.newObjectReader();
        RevWalk walk = new RevWalk(reader)) {
      ObjectId head = repo.resolve(Constants.HEAD);
      ObjectId indexTree = repo.readDirCache().writeTree(inserter);
      ObjectId index = inserter.insert(commit(indexTree, who, "sluice: index before " + why, head));

      DirCache work = DirCache.newInCore();
      DirCacheBuilder builder = work.builder();
      builder.addTree(new byte[0], 0, reader, indexTree);
      builder.finish();
      DirCacheEditor editor = work.editor();
      for (String path : status.getMissing()) {
        editor.add(new DirCacheEditor.DeletePath(path));
      }
      for (String path : union(status.getModified(), status.getChanged(), status.getAdded())) {
        if (!status.getMissing().contains(path)) {
          add(editor, inserter, dir, path);
        }
      }
      editor.finish();
      ObjectId workTree = work.writeTree(inserter);

      ObjectId untracked = null;
      if (!status.getUntracked().isEmpty()) {
        DirCache only = DirCache.newInCore();
        DirCacheEditor untrackedEditor = only.editor();
        for (String path : status.getUntracked()) {
          add(untrackedEditor, inserter, dir, path);
        }
        untrackedEditor.finish();
        untracked =
            inserter.insert(
                commit(only.writeTree(inserter), who, "sluice: untracked files before " + why));
      }
      ObjectId saved =
          inserter.insert(
              commit(
                  workTree,
                  who,
                  "sluice: local changes saved before " + why,
                  head,
                  index,
                  untracked));
      inserter.flush();
      return saved;
    }
  }

  private static Collection<String> union(Set<String> a, Set<String> b, Set<String> c) {
    java.util.TreeSet<String> all = new java.util.TreeSet<>(a);
    all.addAll(b);
    all.addAll(c);
    return all;
  }

  private static void add(DirCacheEditor editor, ObjectInserter inserter, Path dir, String path)
      throws IOException {
    Path file = dir.resolve(path);
    FileMode mode;
    ObjectId blob;
    if (Files.isSymbolicLink(file)) {
      mode = FileMode.SYMLINK;
      blob =
          inserter.insert(
              Constants.OBJ_BLOB,
              Files.readSymbolicLink(file)
                  .toString()
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } else if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      mode = Files.isExecutable(file) ? FileMode.EXECUTABLE_FILE : FileMode.REGULAR_FILE;
      try (InputStream in = Files.newInputStream(file)) {
        blob = inserter.insert(Constants.OBJ_BLOB, Files.size(file), in);
      }
    } else {
      return; // a directory or a socket: nothing git can keep
    }
    FileMode entryMode = mode;
    editor.add(
        new DirCacheEditor.PathEdit(path) {
          @Override
          public void apply(DirCacheEntry entry) {
            entry.setFileMode(entryMode);
            entry.setObjectId(blob);
          }
        });
  }

  private static CommitBuilder commit(
      ObjectId tree, PersonIdent who, String message, ObjectId... parents) {
    CommitBuilder commit = new CommitBuilder();
    commit.setTreeId(tree);
    for (ObjectId parent : parents) {
      if (parent != null) {
        commit.addParentId(parent);
      }
    }
    commit.setAuthor(who);
    commit.setCommitter(who);
    commit.setMessage(message + "\n");
    return commit;
  }
}
