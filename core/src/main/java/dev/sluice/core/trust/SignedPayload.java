package dev.sluice.core.trust;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.util.RawParseUtils;

/**
 * The bytes a signature covers and the signature itself, split out of a tag or commit exactly as
 * git does: a tag's signature is appended to its message, a commit's sits in its {@code gpgsig}
 * header. An object without a signature has no payload: callers treat that as a failure.
 *
 * @param data what was signed
 * @param signature the armored signature
 * @param format SSH or OpenPGP, by the signature's armor
 */
public record SignedPayload(byte[] data, byte[] signature, Format format) {

  /** The signature formats Sluice accepts. */
  public enum Format {
    SSH("-----BEGIN SSH SIGNATURE-----"),
    OPENPGP("-----BEGIN PGP SIGNATURE-----"),
    /** An X.509 (CMS) signature or anything else: never trusted. */
    OTHER("");

    private final byte[] armor;

    Format(String armor) {
      this.armor = armor.getBytes(StandardCharsets.US_ASCII);
    }

    static Format of(byte[] signature) {
      for (Format format : new Format[] {SSH, OPENPGP}) {
        if (RawParseUtils.match(signature, 0, format.armor) > 0) {
          return format;
        }
      }
      return OTHER;
    }
  }

  /** The payload of a parsed tag or commit; empty when it carries no signature. */
  public static Optional<SignedPayload> of(RevObject object) {
    if (object instanceof RevTag tag) {
      byte[] signature = tag.getRawGpgSignature();
      if (signature == null) {
        return Optional.empty();
      }
      byte[] raw = tag.getRawBuffer();
      byte[] data = Arrays.copyOfRange(raw, 0, raw.length - signature.length);
      return Optional.of(new SignedPayload(data, signature, Format.of(signature)));
    }
    if (object instanceof RevCommit commit) {
      byte[] signature = commit.getRawGpgSignature();
      if (signature == null) {
        return Optional.empty();
      }
      byte[] raw = commit.getRawBuffer();
      byte[] header = {'g', 'p', 'g', 's', 'i', 'g'};
      int start = RawParseUtils.headerStart(header, raw, 0);
      if (start < 0) {
        return Optional.empty();
      }
      int end = RawParseUtils.nextLfSkippingSplitLines(raw, start);
      start -= header.length + 1;
      if (end < raw.length) {
        end++;
      }
      byte[] data = new byte[raw.length - (end - start)];
      System.arraycopy(raw, 0, data, 0, start);
      System.arraycopy(raw, end, data, start, raw.length - end);
      return Optional.of(new SignedPayload(data, signature, Format.of(signature)));
    }
    return Optional.empty();
  }
}
