import { TerraformStack } from "cdktf";

/**
 * Base of every stack. cdktf's prepareStack() resolves every element once more before synthesis,
 * only to discover tokens that cross stacks (and add remote-state plumbing for them). This program
 * never passes tokens between stacks — contracts travel as names from configuration and data
 * sources (test/stack-references.test.ts proves every reference stays inside its stack) — so that
 * pass is skipped: it was about a third of synthesis time.
 */
export abstract class PlatformStack extends TerraformStack {
  override prepareStack(): void {
    this.ensureBackendExists();
  }
}
