package dev.sluice.updater.cli;

import dev.sluice.cli.ClockOption;
import dev.sluice.cli.OutputOptions;
import dev.sluice.core.channel.ChannelLayout;
import dev.sluice.core.channel.ChannelSpec;
import dev.sluice.core.channel.Track;
import dev.sluice.core.git.RemoteAccess;
import dev.sluice.core.git.RemoteRefs;
import dev.sluice.core.json.Json;
import dev.sluice.core.lottery.ChannelChoice;
import dev.sluice.core.report.NodeReport;
import dev.sluice.core.trust.TrustFile;
import dev.sluice.core.version.TagPattern;
import dev.sluice.updater.apply.ApplySettings;
import dev.sluice.updater.apply.HookCommand;
import dev.sluice.updater.config.NodeConfig;
import dev.sluice.updater.git.Reach;
import dev.sluice.updater.git.SavedRetention;
import dev.sluice.updater.report.ReportSender;
import dev.sluice.updater.report.ReportTrust;
import dev.sluice.updater.run.RunRequest;
import dev.sluice.updater.run.RunResult;
import dev.sluice.updater.run.RunService;
import dev.sluice.updater.slots.FleetLockClient;
import dev.sluice.updater.slots.UpdateSlots;
import dev.sluice.updater.state.NodeIdentity;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Period;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.TextProgressMonitor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code node-updater run}: bring the node to its channel's commit. Every option can also come from
 * {@code --config FILE} ({@link ConfigDefaults}); a flag on the command line wins.
 *
 * <p>It is long because it is the one declaration of run's options: their names, labels and help
 * text are the command-line contract and the config file's keys ({@link ConfigDefaults} reads the
 * keys from these declarations), so they stay together; everything they configure is built by the
 * short methods below them and run by {@code RunService}.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    defaultValueProvider = ConfigDefaults.class,
    description =
        "Draw the lottery if due, fetch the channel, move the working tree to it, run the"
            + " post-update hook and health check, and roll back when they fail.")
public final class RunCommand implements Callable<Integer> {

  static final String DEFAULT_STATE = "/var/lib/sluice/state.db";

  @Spec CommandSpec spec;

  @Option(
      names = ConfigDefaults.CONFIG_OPTION,
      paramLabel = "FILE",
      description = "Node configuration, JSON or YAML (keys as the long options, camelCase).")
  Path config;

  @Option(names = "--workdir", paramLabel = "DIR", description = "The node's working tree.")
  Path workdir;

  @Option(
      names = "--remote",
      paramLabel = "URL",
      description =
          "The git remote to follow: https://, ssh://, git@host:path or file://. A token in the"
              + " URL is accepted but better given with --git-token-file.")
  String remote;

  @Option(
      names = "--git-token-file",
      paramLabel = "FILE",
      description =
          "A file holding the token for a private https remote (default: the "
              + RemoteAccess.TOKEN_VARIABLE
              + " variable; user name from "
              + RemoteAccess.USERNAME_VARIABLE
              + ", default "
              + RemoteAccess.DEFAULT_USERNAME
              + ").")
  Path gitTokenFile;

  @Option(
      names = "--ssh-dir",
      paramLabel = "DIR",
      description =
          "The ssh directory with config, keys and known_hosts (default: ~/.ssh of the user"
              + " running node-updater).")
  Path sshDir;

  @Option(
      names = "--ssh-key",
      paramLabel = "FILE",
      description = "A private key for ssh remotes, instead of the ssh directory's id_* keys.")
  Path sshKey;

  @Option(
      names = "--known-hosts",
      paramLabel = "FILE",
      description =
          "The hosts ssh trusts, instead of the ssh directory's known_hosts. Host keys are"
              + " checked strictly: an unknown or changed key is refused (exit 2).")
  Path knownHosts;

  @Option(
      names = "--state",
      paramLabel = "FILE",
      description = "The node's state database (default: " + DEFAULT_STATE + ").")
  Path state;

  @Option(
      names = "--group",
      paramLabel = "NAME",
      split = NodeConfig.LIST_SEPARATOR,
      hideParamSyntax = true,
      description = "A group this node belongs to (repeatable).")
  List<String> groups;

  @Option(
      names = "--channel",
      paramLabel = "auto|stable|preprod",
      description = "Pin the node to a channel instead of the lottery (default: auto).")
  String channel;

  @Option(
      names = "--disable-preprod",
      description = "Never ride preprod, whatever the ticket says.")
  Boolean disablePreprod;

  @Option(
      names = "--preprod-probability",
      paramLabel = "P",
      description = "This node's preprod probability (default: the rollout policy's, 0.07).")
  Double probability;

  @Option(
      names = "--lottery-period",
      paramLabel = "PERIOD",
      description = "How long a ticket lasts, ISO-8601 (default: the rollout policy's, P1M).")
  Period period;

  @Option(
      names = "--track",
      paramLabel = "branch|tag",
      description =
          "Follow the channel's branch tip or its newest release tag (default: the rollout"
              + " policy's, branch).")
  String track;

  @Option(
      names = "--stable-branch",
      paramLabel = "NAME",
      description = "Default: the rollout policy's, master.")
  String stableBranch;

  @Option(
      names = "--preprod-branch",
      paramLabel = "NAME",
      description = "Default: the rollout policy's, preprod.")
  String preprodBranch;

  @Option(
      names = "--stable-tags",
      paramLabel = "PATTERN",
      description = "Default: the rollout policy's, v*.")
  String stableTags;

  @Option(
      names = "--preprod-tags",
      paramLabel = "PATTERN",
      description = "Default: the rollout policy's, v*_pre.")
  String preprodTags;

  @Option(
      names = "--post-update",
      paramLabel = "CMD",
      description = "Run in the workdir after every checkout, e.g. 'npm ci --omit=dev'.")
  String postUpdate;

  @Option(names = "--post-update-timeout", paramLabel = "DURATION", description = "Default: PT10M.")
  Duration postUpdateTimeout;

  @Option(
      names = "--health-check",
      paramLabel = "CMD|URL",
      description = "A command that must exit 0, or an http(s) URL that must answer 2xx.")
  String healthCheck;

  @Option(
      names = "--health-timeout",
      paramLabel = "DURATION",
      description = "Per attempt (default: PT30S).")
  Duration healthTimeout;

  @Option(
      names = "--health-retries",
      paramLabel = "N",
      description = "Attempts before the check fails (default: 3).")
  Integer healthRetries;

  @Option(
      names = "--health-interval",
      paramLabel = "DURATION",
      description = "Pause between attempts (default: PT5S).")
  Duration healthInterval;

  @Option(
      names = "--restart",
      paramLabel = "CMD",
      description =
          "Run after a successful change when the software is already running (not with --boot).")
  String restart;

  @Option(
      names = "--boot",
      description = "The node's software is not running yet: do not run --restart.")
  Boolean boot;

  @Option(
      names = "--shell",
      description = "Run the commands with /bin/sh -c instead of splitting them into words.")
  Boolean shell;

  @Option(
      names = "--max-attempts",
      paramLabel = "N",
      description =
          "Skip a commit that failed this often until a newer one appears (default: the"
              + " rollout policy's, 3).")
  Integer maxAttempts;

  @Option(
      names = "--keep-saved",
      paramLabel = "N",
      description =
          "Always keep the newest N saved-work refs (default: "
              + SavedRetention.DEFAULT_KEEP
              + "); older ones go once they are also older than --keep-saved-for.")
  Integer keepSaved;

  @Option(
      names = "--keep-saved-for",
      paramLabel = "DURATION",
      description = "Keep every saved-work ref at least this long, ISO-8601 (default: P90D).")
  Duration keepSavedFor;

  @Option(
      names = "--report-to",
      paramLabel = "BASE_URL",
      description =
          "Post the run's report to this fleet dashboard (token from SLUICE_REPORT_TOKEN).")
  String reportTo;

  @Option(
      names = "--report-ca",
      paramLabel = "FILE",
      description =
          "For an https dashboard (reports and --fleet-lock): trust only the certificates in"
              + " this PEM file (a private CA or its self-signed certificate) instead of the JVM's"
              + " trust store.")
  Path reportCa;

  @Option(
      names = "--node-name",
      paramLabel = "NAME",
      description = "The name the dashboard and /info show for this node (default: the host name).")
  String nodeName;

  @Option(
      names = "--retry-for",
      paramLabel = "DURATION",
      description =
          "Keep trying an unreachable remote (and its fallbacks) with backoff this long before"
              + " giving up with exit 10, ISO-8601 (default: PT30S; PT0S: try once).")
  Duration retryFor;

  @Option(
      names = "--fallback-remote",
      paramLabel = "URL",
      split = NodeConfig.LIST_SEPARATOR,
      hideParamSyntax = true,
      description =
          "A mirror tried, in order, when the remotes before it are unreachable (repeatable)."
              + " The token and ssh settings apply to each.")
  List<String> fallbackRemotes;

  @Option(
      names = "--group-remote",
      paramLabel = "GROUP=URL",
      split = NodeConfig.LIST_SEPARATOR,
      hideParamSyntax = true,
      description =
          "The remote of the nodes in GROUP (repeatable); --remote then becomes their first"
              + " fallback.")
  Map<String, String> groupRemotes;

  @Option(names = "--machine-id-file", paramLabel = "FILE", hidden = true)
  Path machineIdFile;

  @Option(
      names = "--trust",
      paramLabel = "FILE",
      description =
          "Run only what a trusted key signed: an SSH allowed_signers file (git's format, with"
              + " valid-after/valid-before) or an OpenPGP keyring (gpg --export). A target"
              + " without a trusted signature on a tag naming it or on the commit is held"
              + " (reason untrusted); an untrusted rollout policy is ignored.")
  Path trust;

  @Option(
      names = "--trust-revoked",
      paramLabel = "FILE",
      description =
          "SSH keys never to trust, even inside their window (git's gpg.ssh.revocationFile:"
              + " public keys, or an OpenSSH KRL).")
  Path trustRevoked;

  @Option(
      names = "--trust-policy",
      paramLabel = "FILE",
      description =
          "SSH keys (allowed_signers) trusted for rollout-policy commits only, never for a"
              + " release: fleet-web's --guard-sign-key, so that its automatic halt applies.")
  Path trustPolicy;

  @Option(
      names = "--fleet-lock",
      paramLabel = "BASE_URL",
      description =
          "fleet-web's FleetLock endpoints, for update slots when the rollout policy limits how"
              + " fast the fleet moves (default: --report-to; token from SLUICE_REPORT_TOKEN).")
  String fleetLock;

  @Override
  public Integer call() {
    warmUpJson();
    Path stateFile = orElse(state, Path.of(DEFAULT_STATE));
    RunRequest request =
        new RunRequest(
            require(workdir, "--workdir"),
            remoteAccess(orElse(groups, List.of())),
            stateFile,
            orElse(groups, List.of()),
            ChannelChoice.of(orElse(channel, "auto"), orElse(disablePreprod, false)),
            probability,
            period,
            layout(),
            applySettings(stateFile),
            new SavedRetention(
                orElse(keepSaved, SavedRetention.DEFAULT_KEEP),
                orElse(keepSavedFor, SavedRetention.DEFAULT_KEEP_FOR)),
            new NodeIdentity.Source(
                orElse(machineIdFile, NodeIdentity.Source.MACHINE_ID),
                NodeIdentity.Source.HOSTNAME,
                nodeName),
            reach());
    Optional<ReportSender> sender =
        Optional.ofNullable(reportTo)
            .map(url -> sender(url, readable(reportCa, "--report-ca"), ClockOption.clock(spec)));
    Optional<FleetLockClient> slots =
        Optional.ofNullable(orElse(fleetLock, reportTo))
            .map(url -> fleetLockClient(url, readable(reportCa, "--report-ca")));
    TrustFile trustFile = trustFile();
    RunResult result =
        new RunService(ClockOption.clock(spec), new SecureRandom(), progress())
            .trusting(trustFile)
            .withUpdateSlots(new UpdateSlots(slots))
            .run(request);
    Optional<String> reportWarning =
        sender.flatMap(
            s ->
                s.signedWith(ReportSender.nodeSigning(stateFile, ClockOption.clock(spec).instant()))
                    .send(result.report()));
    PrintWriter out = spec.commandLine().getOut();
    if (OutputOptions.json(spec)) {
      out.println(Json.writePretty(result.report()));
    } else {
      printSummary(out, result.report());
      reportWarning.ifPresent(w -> out.println("warning: " + w));
    }
    out.flush();
    return result.exitCode();
  }

  /**
   * The remotes in the order they are tried: the node's groups' remotes, then --remote, then the
   * fallbacks; each with the same token and ssh settings, each URL once.
   */
  private RemoteAccess remoteAccess(List<String> nodeGroups) {
    List<String> urls = remoteUrls(nodeGroups);
    return remoteAccess(urls.get(0));
  }

  private List<String> remoteUrls(List<String> nodeGroups) {
    Map<String, String> byGroup = orElse(groupRemotes, Map.of());
    Set<String> urls = new LinkedHashSet<>();
    for (String group : nodeGroups) {
      if (byGroup.containsKey(group)) {
        urls.add(byGroup.get(group));
      }
    }
    urls.add(require(remote, "--remote"));
    urls.addAll(orElse(fallbackRemotes, List.of()));
    return List.copyOf(urls);
  }

  private Reach reach() {
    List<String> urls = remoteUrls(orElse(groups, List.of()));
    List<RemoteAccess> fallbacks = new ArrayList<>();
    for (String url : urls.subList(1, urls.size())) {
      RemoteRefs.checkRemoteSyntax(url);
      fallbacks.add(remoteAccess(url));
    }
    return new Reach(fallbacks, orElse(retryFor, Reach.DEFAULT_RETRY_FOR));
  }

  /**
   * Every run ends by writing its report as JSON (into the state file, and to stdout with {@code
   * --json}). Building Jackson's mapper and the report's serializers is a fifth of a run that
   * changes nothing, all of it class loading and reflection: done on a second thread while this one
   * opens the state file and asks the remote, it is ready when the report is. The mapper is
   * thread-safe; a daemon thread never holds up the exit.
   */
  private static void warmUpJson() {
    Thread warm =
        new Thread(
            () -> {
              try {
                Json.mapper().writerFor(NodeReport.class);
              } catch (RuntimeException e) {
                // Only a head start: writing the report says what is wrong, if anything.
              }
            },
            "json-warm-up");
    warm.setDaemon(true);
    warm.start();
  }

  /**
   * How to reach the remote: the URL with any token moved out of it, the token from a file or the
   * environment, ssh keys and known hosts from the flags or the ssh directory.
   */
  private RemoteAccess remoteAccess(String url) {
    Path home = Path.of(System.getProperty("user.home"));
    Path ssh = orElse(sshDir, home.resolve(".ssh"));
    Path key = readable(sshKey, "--ssh-key");
    Path hosts = readable(knownHosts, "--known-hosts");
    return RemoteAccess.configure(
        url,
        gitTokenFile,
        NodeUpdaterMain.env(spec),
        new RemoteAccess.Ssh(
            home,
            ssh,
            key == null ? List.of() : List.of(key),
            hosts == null ? List.of() : List.of(hosts)));
  }

  /** The node's trust file, or null: a trust file that cannot be read is bad usage (exit 2). */
  private TrustFile trustFile() {
    if (trust == null) {
      if (trustRevoked != null) {
        throw new IllegalArgumentException("--trust-revoked needs --trust");
      }
      if (trustPolicy != null) {
        throw new IllegalArgumentException("--trust-policy needs --trust");
      }
      return null;
    }
    TrustFile trustFile = TrustFile.load(trust, trustRevoked);
    return trustPolicy == null ? trustFile : trustFile.withPolicySigners(trustPolicy);
  }

  /** A file the node was told to use must be there: a typo is bad usage, not an ssh failure. */
  private static Path readable(Path file, String option) {
    if (file != null && !Files.isReadable(file)) {
      throw new IllegalArgumentException(
          option + " " + file + (Files.exists(file) ? " cannot be read" : " does not exist"));
    }
    return file;
  }

  /**
   * A dashboard client; the token comes from the environment, never from a flag others can see.
   *
   * @param ca the PEM certificates to trust for an https dashboard, or null for the JVM's
   */
  static ReportSender sender(String baseUrl, Path ca, Clock clock) {
    return new ReportSender(
        baseUrl,
        Optional.ofNullable(System.getenv("SLUICE_REPORT_TOKEN")).filter(t -> !t.isBlank()),
        Optional.ofNullable(ca).map(ReportTrust::fromPem),
        clock);
  }

  /**
   * fleet-web's FleetLock endpoints; the ingest token comes from the environment, as for reports.
   */
  private FleetLockClient fleetLockClient(String baseUrl, Path ca) {
    return new FleetLockClient(
        baseUrl,
        Optional.ofNullable(NodeUpdaterMain.env(spec).get("SLUICE_REPORT_TOKEN"))
            .filter(t -> !t.isBlank()),
        Optional.ofNullable(ca).map(ReportTrust::fromPem));
  }

  /**
   * The channels' git layout when this node overrides it, else null: the rollout policy's (or the
   * built-in master/preprod, v* / v*_pre, branch tips).
   */
  private ChannelLayout layout() {
    if (track == null
        && stableBranch == null
        && preprodBranch == null
        && stableTags == null
        && preprodTags == null) {
      return null;
    }
    Track tracking = Track.parse(orElse(track, "branch"));
    return new ChannelLayout(
        new ChannelSpec(
            orElse(stableBranch, "master"), TagPattern.parse(orElse(stableTags, "v*")), tracking),
        new ChannelSpec(
            orElse(preprodBranch, "preprod"),
            TagPattern.parse(orElse(preprodTags, "v*_pre")),
            tracking));
  }

  private ApplySettings applySettings(Path stateFile) {
    boolean useShell = orElse(shell, false);
    return new ApplySettings(
        Optional.ofNullable(postUpdate).map(c -> new HookCommand(c, useShell)),
        orElse(postUpdateTimeout, ApplySettings.DEFAULT_HOOK_TIMEOUT),
        Optional.ofNullable(restart).map(c -> new HookCommand(c, useShell)),
        orElse(boot, false),
        Optional.ofNullable(healthCheck).map(c -> ApplySettings.HealthCheck.parse(c, useShell)),
        orElse(healthTimeout, ApplySettings.DEFAULT_HEALTH_TIMEOUT),
        orElse(healthRetries, ApplySettings.DEFAULT_HEALTH_RETRIES),
        orElse(healthInterval, ApplySettings.DEFAULT_HEALTH_INTERVAL),
        maxAttempts,
        RunRequest.defaultLogDir(stateFile));
  }

  /** The option's value (from the command line or the config file), else the default. */
  private static <T> T orElse(T value, T fallback) {
    return value != null ? value : fallback;
  }

  private static <T> T require(T value, String option) {
    if (value == null) {
      throw new IllegalArgumentException(
          "missing " + option + " (give the flag or set it in --config)");
    }
    return value;
  }

  private ProgressMonitor progress() {
    if (System.console() == null || OutputOptions.json(spec)) {
      return NullProgressMonitor.INSTANCE;
    }
    return new TextProgressMonitor(new PrintWriter(System.err, true, StandardCharsets.UTF_8));
  }

  static void printSummary(PrintWriter out, NodeReport report) {
    out.println(
        "node " + report.node() + " rides " + report.channel() + ": " + report.lottery().reason());
    out.println(report.message());
    for (String warning : report.warnings()) {
      out.println("warning: " + warning);
    }
  }
}
