package dev.sluice.updater.apply;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the health check with retries: a command that must exit 0 or a URL that must answer 2xx. */
final class HealthChecker {

  private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

  private final ApplySettings settings;
  private final ProcessRunner runner;

  HealthChecker(ApplySettings settings, ProcessRunner runner) {
    this.settings = settings;
    this.runner = runner;
  }

  /**
   * Checks until one attempt passes or the retries are used up.
   *
   * @return empty when healthy, else why the last attempt failed
   */
  Optional<String> check(Path workdir, Map<String, String> env, Path logBase) {
    if (settings.healthCheck().isEmpty()) {
      return Optional.empty();
    }
    ApplySettings.HealthCheck check = settings.healthCheck().get();
    String failure = null;
    for (int attempt = 1; attempt <= settings.healthRetries(); attempt++) {
      if (attempt > 1) {
        sleep(settings.healthInterval());
      }
      failure =
          attempt(
              check,
              workdir,
              env,
              logBase.resolveSibling(logBase.getFileName() + "-" + attempt + ".log"));
      if (failure == null) {
        LOG.info("health check {} passed (attempt {})", check, attempt);
        return Optional.empty();
      }
      LOG.warn(
          "health check {} failed (attempt {}/{}): {}",
          check,
          attempt,
          settings.healthRetries(),
          failure);
    }
    return Optional.of(
        "health check "
            + check
            + " failed "
            + settings.healthRetries()
            + " time(s), last: "
            + failure);
  }

  private String attempt(
      ApplySettings.HealthCheck check, Path workdir, Map<String, String> env, Path log) {
    if (check.command().isPresent()) {
      ProcessOutcome outcome =
          runner.run(check.command().get().argv(), workdir, env, settings.healthTimeout(), log);
      return outcome.succeeded() ? null : outcome.describe();
    }
    return probe(check.url().orElseThrow());
  }

  private String probe(URI url) {
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(settings.healthTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    HttpRequest request =
        HttpRequest.newBuilder(url).timeout(settings.healthTimeout()).GET().build();
    try {
      HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
      int status = response.statusCode();
      return status >= 200 && status < 300 ? null : url + " answered " + status;
    } catch (IOException e) {
      return url
          + " did not answer: "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return url + " check interrupted";
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
