// Stateful resources get a readable, pinned Terraform address (part of the public contract: a
// changed address destroys data) and, in protected tiers, lifecycle.prevent_destroy.
import type { TerraformResource } from "cdktf";

export function stateful<T extends TerraformResource>(resource: T, address: string, preventDestroy: boolean): T {
  resource.overrideLogicalId(address);
  if (preventDestroy) resource.addOverride("lifecycle.prevent_destroy", true);
  return resource;
}
