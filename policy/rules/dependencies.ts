// DEP-001: a resource that names another resource's object by a literal string (a namespace, a
// Secret, a ServiceAccount, an EKS cluster...) must be ordered after it in a way Terraform sees:
// a reference or depends_on, directly or through others. construct.node.addDependency() is not
// synthesized, and a literal name carries no order: Terraform would create both at once.
import { allTiers, type PolicyContext, type PolicyRule } from "../rule";
import { reachable } from "./graph";
import { created, nameUses, type Created } from "./named-objects";

const creators = new WeakMap<PolicyContext, Map<string, Created[]>>();

/** The objects the stack's resources create, by `kind/name`, once per stack. */
function creatorIndex(ctx: PolicyContext): Map<string, Created[]> {
  let index = creators.get(ctx);
  if (index) return index;
  index = new Map();
  const types = [
    "kubernetes_manifest",
    "helm_release",
    "aws_eks_cluster",
    ...[
      "namespace",
      "secret",
      "service_account",
      "config_map",
      "persistent_volume_claim",
      "storage_class",
      "role",
      "cluster_role",
    ].flatMap((kind) => [`kubernetes_${kind}`, `kubernetes_${kind}_v1`]),
  ];
  for (const resource of types.flatMap((type) => ctx.ofType(type))) {
    for (const object of created(ctx, resource)) {
      const key = `${object.kind}/${object.name}`;
      index.set(key, [...(index.get(key) ?? []), object]);
    }
  }
  creators.set(ctx, index);
  return index;
}

const checkedType = (type: string) =>
  type.startsWith("kubernetes_") || type === "helm_release" || type.startsWith("aws_");

export const dependencyRules: PolicyRule[] = [
  {
    id: "DEP-001",
    title: "Dependencies Terraform can see",
    message:
      "reference an attribute of the resource that creates the named object (e.g. namespace.metadata.name) or add that resource to dependsOn; a literal name orders nothing and construct.node.addDependency() is not synthesized",
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: ["*"],
    check: (resource, ctx) => {
      if (!checkedType(resource.type)) return undefined;
      const uses = nameUses(ctx, resource);
      if (!uses.length) return undefined;
      const index = creatorIndex(ctx);
      let reach: Set<string> | undefined;
      const faults = new Set<string>();
      for (const use of uses) {
        const makers = (index.get(`${use.kind}/${use.name}`) ?? []).filter(
          (maker) =>
            maker.address !== resource.address &&
            (maker.namespace === undefined || use.namespace === undefined || maker.namespace === use.namespace),
        );
        if (!makers.length) continue;
        reach ??= reachable(ctx, resource);
        if (makers.some((maker) => reach!.has(maker.address))) continue;
        const where = use.namespace !== undefined ? ` in namespace "${use.namespace}"` : "";
        faults.add(
          `${use.path} names ${use.kind} "${use.name}"${where}, created by ${makers.map((maker) => maker.address).join(" and ")}, with no reference or depends_on path to it`,
        );
      }
      return faults.size ? [...faults].join("; ") : undefined;
    },
  },
];
