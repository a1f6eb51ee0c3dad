package dev.sluice.core.git;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Host keys checked strictly against known_hosts files, whatever an ssh config says: a key is
 * accepted only when a line for the host lists exactly that key (and does not mark it revoked).
 * Nothing is ever asked or written, so a node never learns a host key by itself.
 */
final class StrictKnownHosts implements ServerKeyDatabase {

  private static final Logger LOG = LoggerFactory.getLogger(StrictKnownHosts.class);
  private static final int DEFAULT_PORT = 22;

  private final List<Path> files;

  StrictKnownHosts(List<Path> files) {
    this.files = List.copyOf(files);
  }

  @Override
  public List<PublicKey> lookup(
      String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
    List<PublicKey> keys = new ArrayList<>();
    for (Entry entry : entriesFor(connectAddress, remoteAddress)) {
      if (!entry.revoked()) {
        keys.add(entry.key());
      }
    }
    return keys;
  }

  @Override
  public boolean accept(
      String connectAddress,
      InetSocketAddress remoteAddress,
      PublicKey serverKey,
      Configuration config,
      CredentialsProvider provider) {
    boolean match = false;
    for (Entry entry : entriesFor(connectAddress, remoteAddress)) {
      if (KeyUtils.compareKeys(serverKey, entry.key())) {
        if (entry.revoked()) {
          LOG.warn("ssh host key of {} is marked revoked in {}", connectAddress, entry.file());
          return false;
        }
        match = true;
      }
    }
    if (!match) {
      LOG.warn(
          "ssh host key {} of {} is not trusted in {}",
          KeyUtils.getFingerPrint(serverKey),
          connectAddress,
          files);
    }
    return match;
  }

  private record Entry(Path file, PublicKey key, boolean revoked) {}

  private List<Entry> entriesFor(String connectAddress, InetSocketAddress remoteAddress) {
    List<Candidate> candidates = candidates(connectAddress, remoteAddress);
    List<Entry> entries = new ArrayList<>();
    for (Path file : files) {
      if (!Files.isReadable(file)) {
        continue;
      }
      List<KnownHostEntry> lines;
      try {
        lines = KnownHostEntry.readKnownHostEntries(file);
      } catch (IOException | RuntimeException e) {
        LOG.warn("cannot read known hosts file {}: {}", file, e.getMessage());
        continue;
      }
      for (KnownHostEntry line : lines) {
        if (!matches(line, candidates)) {
          continue;
        }
        AuthorizedKeyEntry keyEntry = line.getKeyEntry();
        try {
          PublicKey key =
              keyEntry == null
                  ? null
                  : keyEntry.resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.IGNORING);
          if (key != null) {
            entries.add(new Entry(file, key, "revoked".equals(line.getMarker())));
          }
        } catch (IOException | GeneralSecurityException e) {
          LOG.warn("unusable key for {} in {}: {}", connectAddress, file, e.getMessage());
        }
      }
    }
    return entries;
  }

  private record Candidate(String host, int port) {}

  private static boolean matches(KnownHostEntry line, List<Candidate> candidates) {
    for (Candidate candidate : candidates) {
      if (line.isHostMatch(candidate.host(), candidate.port())) {
        return true;
      }
    }
    return false;
  }

  /** The name the user gave ({@code host} or {@code [host]:port}) and the address connected to. */
  private static List<Candidate> candidates(
      String connectAddress, InetSocketAddress remoteAddress) {
    List<Candidate> candidates = new ArrayList<>();
    String host = connectAddress;
    int port = remoteAddress == null ? DEFAULT_PORT : remoteAddress.getPort();
    if (host.startsWith("[") && host.contains("]:")) {
      int close = host.indexOf("]:");
      port = Integer.parseInt(host.substring(close + 2));
      host = host.substring(1, close);
    }
    candidates.add(new Candidate(host, port));
    if (remoteAddress != null && remoteAddress.getAddress() != null) {
      candidates.add(
          new Candidate(remoteAddress.getAddress().getHostAddress(), remoteAddress.getPort()));
    }
    return candidates;
  }
}
