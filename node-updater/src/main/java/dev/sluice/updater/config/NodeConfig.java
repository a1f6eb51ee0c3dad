package dev.sluice.updater.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.sluice.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The node's configuration file ({@code --config FILE}, JSON or YAML by its extension). Every key
 * is also a flag of {@code run}, and a flag given on the command line wins over the file. Unknown
 * keys are refused, so a typo never silently disables a health check.
 */
public record NodeConfig(
    String workdir,
    String remote,
    String gitTokenFile,
    String sshDir,
    String sshKey,
    String knownHosts,
    String state,
    List<String> groups,
    String channel,
    Boolean disablePreprod,
    Double preprodProbability,
    Period lotteryPeriod,
    String track,
    String stableBranch,
    String preprodBranch,
    String stableTags,
    String preprodTags,
    String postUpdate,
    Duration postUpdateTimeout,
    String healthCheck,
    Duration healthTimeout,
    Integer healthRetries,
    Duration healthInterval,
    String restart,
    Boolean shell,
    Boolean boot,
    Integer maxAttempts,
    String reportTo,
    String reportCa,
    Integer keepSaved,
    Duration keepSavedFor,
    String nodeName,
    Duration retryFor,
    List<String> fallbackRemotes,
    Map<String, String> groupRemotes,
    String trust,
    String trustRevoked,
    String trustPolicy,
    String fleetLock) {

  public static final NodeConfig EMPTY =
      new NodeConfig(
          null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
          null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
          null, null, null, null, null, null, null, null, null);

  public NodeConfig {
    groups = groups == null ? null : List.copyOf(groups);
    fallbackRemotes = fallbackRemotes == null ? null : List.copyOf(fallbackRemotes);
    if (groupRemotes != null) {
      groupRemotes.forEach(
          (group, url) -> {
            if (group == null || group.isBlank() || url == null || url.isBlank()) {
              throw new IllegalArgumentException(
                  "groupRemotes: every entry needs a group and a URL");
            }
          });
      groupRemotes = Collections.unmodifiableMap(new LinkedHashMap<>(groupRemotes));
    }
  }

  /**
   * Reads a config file.
   *
   * @throws IllegalArgumentException naming the file and the problem in one line
   */
  public static NodeConfig read(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    ObjectMapper mapper =
        name.endsWith(".yaml") || name.endsWith(".yml")
            ? new ObjectMapper(new YAMLFactory())
                .registerModule(new JavaTimeModule())
                .enable(
                    com.fasterxml.jackson.databind.DeserializationFeature
                        .FAIL_ON_UNKNOWN_PROPERTIES)
            : Json.mapper();
    try {
      NodeConfig config = mapper.readValue(Files.readAllBytes(file), NodeConfig.class);
      return config == null ? EMPTY : config;
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("config file " + file + " does not exist");
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException(
          "config file " + file + ": unknown key '" + e.getPropertyName() + "'");
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "config file "
              + file
              + ": "
              + e.getOriginalMessage().lines().findFirst().orElse("unreadable")
              + " (line "
              + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
              + ")");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "config file " + file + " cannot be read: " + e.getMessage());
    }
  }
}
