package dev.sluice.updater.git;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The last resort of a restore: writes every file of a commit's tree into the working tree,
 * removing whatever stands in the way (a file where a directory must be, a directory where a file
 * must be), then points the index and a detached HEAD at the commit. A checkout killed halfway
 * through a switch that turns a directory into a file leaves a tree JGit's checkout refuses to
 * touch ("Could not delete file"); this one does not ask.
 */
final class TreeRewrite {

  private TreeRewrite() {}

  static void rewrite(Repository repo, Path dir, ObjectId commit) throws IOException {
    Path gitDir = repo.getDirectory().toPath().toAbsolutePath().normalize();
    Path root = dir.toAbsolutePath().normalize();
    DirCache index = repo.lockDirCache();
    try (ObjectReader reader = repo.newObjectReader();
        RevWalk walk = new RevWalk(reader)) {
      Set<String> before = new HashSet<>();
      for (int i = 0; i < index.getEntryCount(); i++) {
        before.add(index.getEntry(i).getPathString());
      }
      DirCacheBuilder builder = index.builder();
      builder.addTree(new byte[0], 0, reader, walk.parseCommit(commit).getTree());
      builder.finish();
      for (int i = 0; i < index.getEntryCount(); i++) {
        DirCacheEntry entry = index.getEntry(i);
        Path file = dir.resolve(entry.getPathString()).toAbsolutePath().normalize();
        if (!file.startsWith(dir.toAbsolutePath().normalize()) || file.startsWith(gitDir)) {
          throw new IOException(
              "refusing to write outside the work tree: " + entry.getPathString());
        }
        clearWay(root, file);
        write(reader, entry, file);
        before.remove(entry.getPathString());
      }
      // What the old index tracked and the commit does not: a checkout removes it, so do we.
      // Where the commit put a file in place of its directory, clearWay already removed it.
      for (String gone : before) {
        Path file = root.resolve(gone).normalize();
        if (file.startsWith(root)
            && !file.startsWith(gitDir)
            && Files.isDirectory(file.getParent(), LinkOption.NOFOLLOW_LINKS)
            && !Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
          Files.deleteIfExists(file);
          removeEmptyParents(root, file.getParent());
        }
      }
      index.write();
      index.commit();
    } finally {
      index.unlock();
    }
    RefUpdate head = repo.updateRef(Constants.HEAD, true);
    head.setNewObjectId(commit);
    head.setForceUpdate(true);
    head.update();
  }

  private static void removeEmptyParents(Path root, Path dir) throws IOException {
    for (Path at = dir;
        at != null && at.startsWith(root) && !at.equals(root);
        at = at.getParent()) {
      try (Stream<Path> entries = Files.list(at)) {
        if (entries.findAny().isPresent()) {
          return;
        }
      }
      Files.delete(at);
    }
  }

  /** Makes every parent of {@code file} a directory, and {@code file} itself not a directory. */
  private static void clearWay(Path root, Path file) throws IOException {
    Path parent = file.getParent();
    Path at = root;
    for (Path part : root.relativize(parent)) {
      at = at.resolve(part);
      if (Files.exists(at, LinkOption.NOFOLLOW_LINKS)
          && !Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) {
        Files.delete(at);
      }
    }
    Files.createDirectories(parent);
    if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> walk = Files.walk(file)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private static void write(ObjectReader reader, DirCacheEntry entry, Path file)
      throws IOException {
    FileMode mode = entry.getFileMode();
    if (mode == FileMode.GITLINK) {
      Files.createDirectories(file);
      return;
    }
    Files.deleteIfExists(file);
    if (mode == FileMode.SYMLINK) {
      byte[] target = reader.open(entry.getObjectId()).getBytes();
      Files.createSymbolicLink(file, Path.of(new String(target, StandardCharsets.UTF_8)));
      return;
    }
    // Named like JGit's own temporaries, so the cleanup of a killed checkout finds it too.
    Path temp =
        file.resolveSibling("._" + file.getFileName() + (System.nanoTime() & 0xffffff) + ".tmp");
    try (InputStream in = reader.open(entry.getObjectId()).openStream()) {
      Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
    }
    if (mode == FileMode.EXECUTABLE_FILE) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(temp);
      perms.add(PosixFilePermission.OWNER_EXECUTE);
      perms.add(PosixFilePermission.GROUP_EXECUTE);
      perms.add(PosixFilePermission.OTHERS_EXECUTE);
      Files.setPosixFilePermissions(temp, perms);
    }
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
