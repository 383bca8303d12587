// The policy aspect reads every resource's toTerraform() during synthesis, and the stack reads it
// again a moment later to write the JSON: on a large environment that second call was a tenth of
// synthesis time. The aspect's result is kept here until the stack takes it. Nothing changes a
// resource between the two (aspects run right before the stack is written; the policy rules only
// read), and a result is used once, so a later change to the resource is never hidden.
import type { TerraformElement } from "cdktf";

const pending = new WeakMap<TerraformElement, any>();

/** The element's toTerraform(), computed once until the stack takes it. */
export function peekTerraform(element: TerraformElement): any {
  let tf = pending.get(element);
  if (tf === undefined) {
    tf = element.toTerraform();
    pending.set(element, tf);
  }
  return tf;
}

/** The element's toTerraform() for writing the stack: the kept result if any (then forgotten). */
export function takeTerraform(element: TerraformElement): any {
  const tf = pending.get(element);
  if (tf === undefined) return element.toTerraform();
  pending.delete(element);
  return tf;
}
