package dev.sluice.admin.cli;

import dev.sluice.admin.AdminException;
import dev.sluice.admin.policy.PolicySnapshot;
import dev.sluice.core.json.Json;
import dev.sluice.core.policy.PolicyParser;
import dev.sluice.core.policy.PolicyValidationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code policy validate}: is the remote's (or a local) channels.json usable? */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    header = "Check the rollout policy and list every error (exit 2 when invalid).",
    description = {
      "Checks channels.json on the remote's rollout-policy branch (or, with --file, a local"
          + " file, without any remote) and lists every problem. Exit code 0 when valid, 2 when"
          + " invalid."
    })
final class PolicyValidateCommand implements Callable<Integer> {

  @ParentCommand PolicyCommand parent;

  @Option(
      names = "--file",
      paramLabel = "PATH",
      description = "Validate this local file instead of the remote's (e.g. before pushing).")
  Path file;

  @Override
  public Integer call() {
    ChannelAdminCommand root = parent.root;
    if (file != null) {
      return validateFile(root);
    }
    PolicySnapshot snapshot = PolicyCommands.service(root).read(root.access());
    if (root.json()) {
      root.out().println(Json.writePretty(PolicyRender.validationJson(snapshot)));
    } else if (snapshot.valid()) {
      root.out().println("valid: " + snapshot.source());
    }
    snapshot.require();
    return ExitCodes.OK;
  }

  private int validateFile(ChannelAdminCommand root) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AdminException.Usage("cannot read " + file + ": " + e.getMessage());
    }
    List<String> errors = List.of();
    PolicyValidationException invalid = null;
    try {
      PolicyParser.parse(text, file.toString());
    } catch (PolicyValidationException e) {
      invalid = e;
      errors = e.errors();
    }
    if (root.json()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("file", file.toString());
      json.put("valid", invalid == null);
      json.put("errors", errors);
      root.out().println(Json.writePretty(json));
    } else if (invalid == null) {
      root.out().println("valid: " + file);
    }
    if (invalid != null) {
      throw invalid;
    }
    return ExitCodes.OK;
  }
}
