// cdktf 0.21's StackSynthesizer.synthesize() for JSON output, step for step, with two changes for
// speed: aspects are invoked in one walk of the tree (cdktf builds each construct's path string to
// remember which aspects ran on it, about a twentieth of synthesis), and the stack's JSON is written
// by the stack itself (lib/sorted-json.ts). HCL output (SYNTH_HCL_OUTPUT) is left to cdktf's own.
// test/stack-synthesizer.test.ts compares every file and the manifest with cdktf's own synthesis.
import { Annotations, AnnotationMetadataEntryType, Aspects, TerraformResource, type IAspect, type ISynthesisSession, type IStackSynthesizer, type TerraformStack } from "cdktf";
import { elementsOf } from "../lib/element-terraform";
import { encounteredAnnotationWithLevelError, stackValidationFailure } from "cdktf/lib/errors";
import { ValidateTerraformVersion } from "cdktf/lib/validations/validate-terraform-version";
import { ConstructOrder, type IConstruct } from "constructs";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";

/** The options cdktf's own synthesizer was built with (private fields in its typings). */
interface CdktfSynthesizer extends IStackSynthesizer {
  continueOnErrorAnnotations?: boolean;
  hclOutput?: boolean;
}

const customSynthesis = Symbol.for("cdktf/customSynthesis");
/**
 * The private symbol under which cdktf keeps a construct's Aspects. Reading it tells a construct
 * without aspects (almost all) at once; Aspects.of() would give each an empty Aspects object, a
 * property added to every construct on every synthesis.
 */
const aspectsKey: symbol | undefined = (() => {
  const probe = {} as IConstruct;
  Aspects.of(probe);
  return Object.getOwnPropertySymbols(probe)[0];
})();
const noAspects: readonly IAspect[] = [];
const ownAspects = (c: IConstruct): Aspects | undefined => (aspectsKey ? (c as unknown as Record<symbol, Aspects | undefined>)[aspectsKey] : Aspects.of(c));
const annotationLevels: readonly string[] = [AnnotationMetadataEntryType.INFO, AnnotationMetadataEntryType.WARN, AnnotationMetadataEntryType.ERROR];

/** Aspects as cdktf invokes them: depth first, each node's own after its ancestors', each once per node. */
function invokeAspects(root: IConstruct): void {
  let nestedAspectWarning = false;
  const recurse = (construct: IConstruct, inherited: readonly IAspect[]) => {
    const own = ownAspects(construct)?.all ?? noAspects;
    const here = own.length === 0 ? inherited : [...inherited, ...own];
    const invoked: IAspect[] = [];
    for (const aspect of here) {
      if (invoked.includes(aspect)) continue;
      aspect.visit(construct);
      if (!nestedAspectWarning && own.length !== (ownAspects(construct)?.all.length ?? 0)) {
        Annotations.of(construct).addWarning("We detected an Aspect was added via another Aspect, and will not be applied");
        nestedAspectWarning = true;
      }
      invoked.push(aspect);
    }
    for (const child of construct.node.children) recurse(child, here);
  };
  recurse(root, []);
}

export class PlatformSynthesizer implements IStackSynthesizer {
  constructor(
    private readonly stack: TerraformStack,
    private readonly cdktf: IStackSynthesizer,
    /** Writes the stack's JSON document to `path`. */
    private readonly writeJson: (path: string) => void,
  ) {}

  synthesize(session: ISynthesisSession): void {
    const own = this.cdktf as CdktfSynthesizer;
    if (own.hclOutput) return own.synthesize(session);
    const stack = this.stack;
    invokeAspects(stack);
    // One list of the tree (aspects have run) for validations and annotations, where cdktf walks
    // the tree once for each; the move check reads the stack's own elements, as cdktf's does.
    let nodes = stack.node.findAll();
    if (elementsOf(stack).some((e) => TerraformResource.isTerraformResource(e) && e.hasResourceMove())) {
      stack.node.addValidation(new ValidateTerraformVersion(">=1.5", `Resource move functionality is only supported for Terraform >=1.5. Please upgrade your Terraform version.`));
    }
    if (!session.skipValidation) {
      const errors = nodes.flatMap((node) => node.node.validate().map((message) => ({ message, source: node })));
      if (errors.length > 0) throw stackValidationFailure(errors.map((e) => `[${e.source.node.path}] ${e.message}`).join("\n  "));
    }
    const stackManifest = session.manifest.forStack(stack);
    const workingDirectory = join(session.outdir, stackManifest.workingDirectory);
    if (!existsSync(workingDirectory)) mkdirSync(workingDirectory);
    type Custom = Record<symbol, { onSynthesize(s: ISynthesisSession): void } | undefined>;
    if (nodes.some((n) => (n as unknown as Custom)[customSynthesis])) {
      // Leaves first, as cdktf calls them; they may add to the tree, so it is listed again after.
      for (const node of stack.node.findAll(ConstructOrder.POSTORDER)) (node as unknown as Custom)[customSynthesis]?.onSynthesize(session);
      nodes = stack.node.findAll();
    }
    const annotations = nodes.flatMap((node) =>
      node.node.metadata.filter((m) => annotationLevels.includes(m.type)).map((m) => ({ constructPath: node.node.path, level: m.type, message: m.data, stacktrace: m.trace })),
    );
    (stackManifest as { annotations: unknown }).annotations = annotations;
    const errors = annotations.filter((a) => a.level === AnnotationMetadataEntryType.ERROR);
    if (!own.continueOnErrorAnnotations && errors.length > 0) {
      throw encounteredAnnotationWithLevelError(errors.map((a) => `[${a.constructPath}] ${a.message}`).join("\n"));
    }
    this.writeJson(join(session.outdir, stackManifest.synthesizedStackPath));
  }
}
