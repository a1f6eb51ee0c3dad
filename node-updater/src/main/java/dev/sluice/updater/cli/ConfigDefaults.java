package dev.sluice.updater.cli;

import dev.sluice.updater.config.NodeConfig;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code run --config FILE}: every option the command line leaves out is looked up in the file,
 * under its long name in camelCase, and parsed by picocli exactly as the flag would be. picocli
 * asks after it has read the command line, so the value of {@code --config} is known by then.
 * Hidden options (test hooks) are not keys.
 */
public final class ConfigDefaults implements IDefaultValueProvider {

  static final String CONFIG_OPTION = "--config";

  /** Keys that are not the camelCase of their option's long name. */
  private static final Map<String, String> KEYS =
      Map.of(
          "--group", "groups",
          "--fallback-remote", "fallbackRemotes",
          "--group-remote", "groupRemotes");

  private boolean loaded;
  private NodeConfig config;
  private final Set<ArgSpec> supplied = new HashSet<>();

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || !isKey(option)) {
      return null;
    }
    NodeConfig file = config(option.command());
    String value = file == null ? null : file.value(key(option)).orElse(null);
    if (value != null) {
      supplied.add(arg);
    }
    return value;
  }

  private NodeConfig config(CommandSpec command) {
    if (!loaded) {
      loaded = true;
      OptionSpec option = command.findOption(CONFIG_OPTION);
      Path file = option == null ? null : option.getValue();
      if (file != null) {
        NodeConfig read = NodeConfig.read(file, mapKeys(command));
        read.requireKnownKeys(keys(command));
        config = read;
      }
    }
    return config;
  }

  /** The config file keys of a command: one per option of its own, except {@code --config}. */
  public static Set<String> keys(CommandSpec command) {
    return command.options().stream()
        .filter(ConfigDefaults::isKey)
        .map(ConfigDefaults::key)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The keys whose options take {@code NAME=VALUE} pairs: maps in the file. */
  private static Set<String> mapKeys(CommandSpec command) {
    return command.options().stream()
        .filter(option -> isKey(option) && option.typeInfo().isMap())
        .map(ConfigDefaults::key)
        .collect(Collectors.toSet());
  }

  private static boolean isKey(OptionSpec option) {
    return !option.inherited()
        && !option.hidden()
        && !option.usageHelp()
        && !option.versionHelp()
        && !option.longestName().equals(CONFIG_OPTION);
  }

  static String key(OptionSpec option) {
    String name = option.longestName();
    String alias = KEYS.get(name);
    if (alias != null) {
      return alias;
    }
    StringBuilder key = new StringBuilder();
    boolean upper = false;
    for (char c : name.substring(2).toCharArray()) {
      if (c == '-') {
        upper = true;
      } else {
        key.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
        upper = false;
      }
    }
    return key.toString();
  }

  /**
   * The one-line message for a command-line error the config file caused (a broken file, an unknown
   * key, a value that does not parse), or null when the command line itself is at fault.
   */
  static String explain(ParameterException e) {
    if (!(e.getCommandLine().getDefaultValueProvider() instanceof ConfigDefaults defaults)) {
      return null;
    }
    if (e.getCause() instanceof IllegalArgumentException broken
        && defaults.loaded
        && defaults.config == null) {
      return broken.getMessage();
    }
    ArgSpec arg = e.getArgSpec();
    if (arg instanceof OptionSpec option && defaults.supplied.contains(arg)) {
      return "config file "
          + defaults.config.file()
          + ": key '"
          + key(option)
          + "': "
          + e.getMessage().replace(NodeConfig.LIST_SEPARATOR, ", ");
    }
    return null;
  }
}
