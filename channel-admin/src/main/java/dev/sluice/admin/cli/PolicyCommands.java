package dev.sluice.admin.cli;

import dev.sluice.admin.policy.PolicyChange;
import dev.sluice.admin.policy.PolicyEditResult;
import dev.sluice.admin.policy.PolicyService;
import dev.sluice.core.json.Json;

/** What the policy-editing commands share: the service, and printing an edit's result. */
final class PolicyCommands {

  private PolicyCommands() {}

  static PolicyService service(ChannelAdminCommand root) {
    return new PolicyService(root.clock(), root.operator(), root.wiring().pushHook());
  }

  static int edit(ChannelAdminCommand root, PolicyChange change) {
    PolicyEditResult result = service(root).edit(root.access(), change);
    root.out().println(root.json() ? Json.writePretty(result) : result.message());
    return ExitCodes.OK;
  }
}
