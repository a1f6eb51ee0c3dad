package dev.sluice.core.testing;

import dev.sluice.core.git.GitIsolation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jgit.api.errors.InvalidRefNameException;
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
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * A real bare git repository in a temporary folder, reached over a {@code file://} URI, with the
 * branch layout Sluice manages. Commits and tags are written directly with JGit's object inserter,
 * so tests need no working tree and no git on the machine.
 */
public final class TestRemote implements AutoCloseable {

  public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  private final Path dir;
  private final Repository repo;
  private Instant clock = EPOCH;

  private TestRemote(Path dir, Repository repo) {
    this.dir = dir;
    this.repo = repo;
  }

  /**
   * A bare repository at {@code parent/remote.git} whose {@code development}, {@code preprod} and
   * {@code master} branches all point at one initial commit holding {@code app.txt}.
   */
  public static TestRemote create(Path parent) {
    GitIsolation.install();
    try {
      Path dir = parent.resolve("remote.git");
      Repository repo =
          new FileRepositoryBuilder()
              .setGitDir(dir.toFile())
              .setBare()
              .setInitialBranch("master")
              .build();
      repo.create(true);
      TestRemote remote = new TestRemote(dir, repo);
      ObjectId initial =
          remote.commit("master", "initial commit", Map.of("app.txt", "version 0\n"));
      remote.setBranch("development", initial);
      remote.setBranch("preprod", initial);
      return remote;
    } catch (IOException | InvalidRefNameException e) {
      throw new IllegalStateException("cannot create test remote in " + parent, e);
    }
  }

  public Path dir() {
    return dir;
  }

  public String uri() {
    return dir.toUri().toString();
  }

  public Repository repository() {
    return repo;
  }

  /** Sets the author/committer time of the next commits and tags. */
  public TestRemote at(Instant time) {
    this.clock = time;
    return this;
  }

  /** Commits file changes on top of a branch (created if missing); a null content deletes. */
  public ObjectId commit(String branch, String message, Map<String, String> changes) {
    try (ObjectInserter inserter = repo.newObjectInserter();
        ObjectReader reader = repo.newObjectReader();
        RevWalk walk = new RevWalk(reader)) {
      ObjectId parent = tip(branch);
      DirCache index = DirCache.newInCore();
      if (parent != null) {
        DirCacheBuilder builder = index.builder();
        builder.addTree(new byte[0], 0, reader, walk.parseCommit(parent).getTree());
        builder.finish();
      }
      DirCacheEditor editor = index.editor();
      for (Map.Entry<String, String> change : new LinkedHashMap<>(changes).entrySet()) {
        if (change.getValue() == null) {
          editor.add(new DirCacheEditor.DeletePath(change.getKey()));
          continue;
        }
        ObjectId blob =
            inserter.insert(Constants.OBJ_BLOB, change.getValue().getBytes(StandardCharsets.UTF_8));
        editor.add(
            new DirCacheEditor.PathEdit(change.getKey()) {
              @Override
              public void apply(DirCacheEntry entry) {
                entry.setFileMode(FileMode.REGULAR_FILE);
                entry.setObjectId(blob);
              }
            });
      }
      editor.finish();
      ObjectId tree = index.writeTree(inserter);
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(tree);
      if (parent != null) {
        commit.setParentId(parent);
      }
      PersonIdent who = ident();
      commit.setAuthor(who);
      commit.setCommitter(who);
      commit.setMessage(message + "\n");
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      setBranch(branch, id);
      clock = clock.plusSeconds(60);
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Points a branch at a commit (force). */
  public void setBranch(String branch, ObjectId commit) {
    updateRef("refs/heads/" + branch, commit);
  }

  /** Removes a branch. */
  public void deleteBranch(String branch) {
    try {
      RefUpdate update = repo.updateRef("refs/heads/" + branch);
      update.setForceUpdate(true);
      update.delete();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates an annotated tag whose tagger time is the remote's current clock. */
  public ObjectId tag(String name, ObjectId commit, String message) {
    try (ObjectInserter inserter = repo.newObjectInserter()) {
      TagBuilder tag = new TagBuilder();
      tag.setTag(name);
      tag.setObjectId(commit, Constants.OBJ_COMMIT);
      tag.setTagger(ident());
      tag.setMessage(message + "\n");
      ObjectId id = inserter.insert(tag);
      inserter.flush();
      updateRef("refs/tags/" + name, id);
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates a lightweight tag. */
  public void lightweightTag(String name, ObjectId commit) {
    updateRef("refs/tags/" + name, commit);
  }

  /** The commit a branch points at, or null. */
  public ObjectId tip(String branch) {
    try {
      Ref ref = repo.exactRef("refs/heads/" + branch);
      return ref == null ? null : ref.getObjectId();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The commit a tag (annotated or not) names, or null. */
  public ObjectId tagCommit(String tag) {
    try (RevWalk walk = new RevWalk(repo)) {
      ObjectId id = repo.resolve("refs/tags/" + tag);
      if (id == null) {
        return null;
      }
      RevCommit commit = walk.parseCommit(id);
      return commit.getId();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private PersonIdent ident() {
    return new PersonIdent("Sluice Test", "test@sluice.invalid", clock, ZoneOffset.UTC);
  }

  private void updateRef(String name, ObjectId id) {
    try {
      RefUpdate update = repo.updateRef(name);
      update.setNewObjectId(id);
      update.setForceUpdate(true);
      RefUpdate.Result result = update.update();
      if (result == RefUpdate.Result.LOCK_FAILURE
          || result == RefUpdate.Result.IO_FAILURE
          || result == RefUpdate.Result.REJECTED) {
        throw new IllegalStateException("could not update " + name + ": " + result);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    repo.close();
  }
}
