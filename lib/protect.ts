// Stateful resources get a readable, pinned Terraform address (part of the public contract: a
// changed address destroys data) and, in protected tiers, lifecycle.prevent_destroy.
import type { TerraformResource } from "cdktf";

export function stateful<T extends TerraformResource>(resource: T, address: string, preventDestroy: boolean): T {
  resource.overrideLogicalId(address);
  return protect(resource, preventDestroy);
}

/** prevent_destroy only, for a resource whose generated address is already locked (renaming it
 *  would need a moved block for no gain). Protected tiers pass true, from the Foundation contract. */
export function protect<T extends TerraformResource>(resource: T, preventDestroy: boolean): T {
  if (preventDestroy) resource.addOverride("lifecycle.prevent_destroy", true);
  return resource;
}
