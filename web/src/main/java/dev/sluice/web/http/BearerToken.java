package dev.sluice.web.http;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/** Checks {@code Authorization: Bearer <token>} in constant time. */
final class BearerToken {

  private final Optional<byte[]> expected;
  private final String realm;

  BearerToken(Optional<String> token, String realm) {
    this.expected = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    this.realm = realm;
  }

  boolean configured() {
    return expected.isPresent();
  }

  /**
   * Like {@link #require}, but also takes HTTP basic authentication with any user name and the
   * token as the password, so that a browser can open the dashboard.
   */
  void requireBearerOrBasic(Context ctx) {
    if (expected.isEmpty()) {
      return;
    }
    String header = ctx.header("Authorization");
    String basic = "Basic ";
    if (header != null && header.regionMatches(true, 0, basic, 0, basic.length())) {
      String decoded;
      try {
        decoded =
            new String(
                Base64.getDecoder().decode(header.substring(basic.length()).trim()),
                StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        decoded = "";
      }
      int colon = decoded.indexOf(':');
      byte[] given = decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
      if (colon >= 0 && MessageDigest.isEqual(given, expected.get())) {
        return;
      }
    } else if (header != null) {
      require(ctx);
      return;
    }
    ctx.header("WWW-Authenticate", "Basic realm=\"" + realm + "\", charset=\"UTF-8\"");
    throw new HttpProblem(HttpStatus.UNAUTHORIZED, realm + " needs the read token");
  }

  /** Refuses the request with 401 unless it carries the token (no-op when none is configured). */
  void require(Context ctx) {
    if (expected.isEmpty()) {
      return;
    }
    String header = ctx.header("Authorization");
    String prefix = "Bearer ";
    if (header == null || !header.regionMatches(true, 0, prefix, 0, prefix.length())) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"" + realm + "\"");
      throw new HttpProblem(HttpStatus.UNAUTHORIZED, realm + " needs a bearer token");
    }
    byte[] given = header.substring(prefix.length()).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, expected.get())) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"" + realm + "\", error=\"invalid_token\"");
      throw new HttpProblem(HttpStatus.UNAUTHORIZED, realm + " token is wrong");
    }
  }
}
