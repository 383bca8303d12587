// What a violation tells its reader to change: the configuration keys that decide the checked value
// (rule.fix.config), or, when no key can, the code: the file of the construct that declared the
// resource and the files the rule names. A violation not yet waived also says how to waive it.
import type { PolicyFix, PolicyRule } from "./rule";

/** Where a user goes to change what a rule checks, in words. `source`: the file of the construct
 *  that declared the offending resource, when known. */
export function fixText(fix: PolicyFix, source?: string): string {
  const files = [...new Set([...(source ? [source] : []), ...(fix.code ?? [])])];
  const code = files.length
    ? `the code in ${files.join(", ")}`
    : "the code of the construct that declares it (docs/address-map.md names its file)";
  if (!("config" in fix)) return `To change: no configuration key decides it; ${code}.`;
  const keys = `${fix.config.join(" or ")} in the configuration of ${fix.of ?? "the environment"}`;
  return fix.code === undefined ? `To change: ${keys}.` : `To change: ${keys}, or ${code}.`;
}

/** How a violation is waived: each environment's `policy.waivers`, one entry per rule and resource. */
export function waiverHint(rule: PolicyRule, address: string): string {
  return `Or waive it with a reason in the environment's policy.waivers (rule ${rule.id}, address ${address}).`;
}
