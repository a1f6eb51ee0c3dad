package dev.sluice.updater.git;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.attributes.AttributesNodeProvider;
import org.eclipse.jgit.lib.BatchRefUpdate;
import org.eclipse.jgit.lib.ObjectDatabase;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefDatabase;
import org.eclipse.jgit.lib.RefRename;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.ReflogReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The node's repository as a fetch sees it: the same objects, configuration, shallow list and ref
 * storage, but a listing of refs that holds only the chosen negotiation tips.
 *
 * <p>JGit offers the server every commit reachable from every listed ref as a {@code have}. Saved
 * work ({@code refs/sluice/saved/*}, three or four commits each) and other local-only refs are of
 * no use to the server and, in a shallow fetch over protocol v0, too many of them break the
 * exchange (see {@link Fetcher}). Reading, updating and locking refs still go to the real ref
 * storage, so the fetch updates the node's refs as usual.
 */
final class NegotiationView extends Repository {

  private final Repository repo;
  private final RefDatabase refs;

  NegotiationView(Repository repo, Set<String> tips) {
    super(new FileRepositoryBuilder().setGitDir(repo.getDirectory()).setFS(repo.getFS()));
    this.repo = repo;
    this.refs = new Listing(repo.getRefDatabase(), Set.copyOf(tips));
  }

  @Override
  public void create(boolean bare) {
    throw new UnsupportedOperationException("a negotiation view never creates a repository");
  }

  @Override
  public String getIdentifier() {
    return repo.getIdentifier();
  }

  @Override
  public ObjectDatabase getObjectDatabase() {
    return repo.getObjectDatabase();
  }

  @Override
  public RefDatabase getRefDatabase() {
    return refs;
  }

  @Override
  public StoredConfig getConfig() {
    return repo.getConfig();
  }

  @Override
  public AttributesNodeProvider createAttributesNodeProvider() {
    return repo.createAttributesNodeProvider();
  }

  @Override
  public void scanForRepoChanges() throws IOException {
    repo.scanForRepoChanges();
  }

  @Override
  public void notifyIndexChanged(boolean internal) {
    repo.notifyIndexChanged(internal);
  }

  @Override
  protected void doClose() {
    // The node's repository stays open: it belongs to the caller.
  }

  /** The real ref storage, listing only the tips. */
  private static final class Listing extends RefDatabase {
    private final RefDatabase real;
    private final Set<String> tips;

    Listing(RefDatabase real, Set<String> tips) {
      this.real = real;
      this.tips = tips;
    }

    @Override
    @SuppressWarnings("deprecation") // the one listing method every other one is built on
    public Map<String, Ref> getRefs(String prefix) throws IOException {
      Map<String, Ref> listed = new LinkedHashMap<>();
      for (Map.Entry<String, Ref> entry : real.getRefs(prefix).entrySet()) {
        if (tips.contains(entry.getValue().getName())) {
          listed.put(entry.getKey(), entry.getValue());
        }
      }
      return listed;
    }

    @Override
    public Ref exactRef(String name) throws IOException {
      return real.exactRef(name);
    }

    @Override
    public List<Ref> getAdditionalRefs() {
      return List.of();
    }

    @Override
    public Ref peel(Ref ref) throws IOException {
      return real.peel(ref);
    }

    @Override
    public boolean isNameConflicting(String name) throws IOException {
      return real.isNameConflicting(name);
    }

    @Override
    public RefUpdate newUpdate(String name, boolean detach) throws IOException {
      return real.newUpdate(name, detach);
    }

    @Override
    public RefRename newRename(String fromName, String toName) throws IOException {
      return real.newRename(fromName, toName);
    }

    @Override
    public BatchRefUpdate newBatchUpdate() {
      return real.newBatchUpdate();
    }

    @Override
    public boolean performsAtomicTransactions() {
      return real.performsAtomicTransactions();
    }

    @Override
    public ReflogReader getReflogReader(Ref ref) throws IOException {
      return real.getReflogReader(ref);
    }

    @Override
    public void refresh() {
      real.refresh();
    }

    @Override
    public void create() throws IOException {
      real.create();
    }

    @Override
    public void close() {
      // The real ref storage belongs to the node's repository.
    }
  }
}
