// Props shared by the workload constructs. Each workload takes the Foundation contract plus its
// own sizes; none knows which environment or cloud it runs in.
import type { ITerraformDependable } from "cdktf";
import type { Foundation } from "../../platform/contract";
import type { ChartSource } from "../helm-chart";

export interface WorkloadProps {
  readonly foundation: Foundation;
  /** Namespace the workload owns (created, closed by default-deny, opened per flow). */
  readonly namespace: string;
  /** What the workload's resources wait for besides its namespace (e.g. the platform secret store
   *  its ExternalSecrets name): Terraform orders only by references and depends_on. @default the namespace only */
  readonly dependsOn?: ITerraformDependable[];
}

export interface ChartWorkloadProps extends WorkloadProps {
  readonly chart: ChartSource;
}

/** A route from the shared entry point to a workload's Service. */
export interface ExposedService {
  /** Host name under the platform domain, e.g. airbyte.<domain>. */
  readonly host: string;
  readonly namespace: string;
  readonly serviceName: string;
  readonly servicePort: number;
  /** Port the pods listen on (what network policies admit). */
  readonly targetPort: number;
  /** Labels selecting the pods behind the service (for the ingress allow policy). */
  readonly podLabels: Record<string, string>;
  /** HTTP path answering 200 when healthy, for the load balancer's health check. */
  readonly healthPath: string;
  /** What creates the service's namespace in the same stack: a route there waits for it. */
  readonly dependsOn?: readonly ITerraformDependable[];
}
