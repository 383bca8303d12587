// kwok Stage objects for the live tier: nodes become Ready with the capacity they were created
// with, scheduled pods become Running and Ready, a Job's pods then Succeed, deleted pods go away.
// Without stages kwok does nothing ("no stages found").

const notDeleted = { key: ".metadata.deletionTimestamp", operator: "DoesNotExist" };

function stage(name: string, kind: "Node" | "Pod", matchExpressions: object[], next: object) {
  return {
    apiVersion: "kwok.x-k8s.io/v1alpha1",
    kind: "Stage",
    metadata: { name },
    spec: { resourceRef: { apiGroup: "v1", kind }, selector: { matchExpressions }, next },
  };
}

const nodeReady = `{{ $now := Now }}
conditions:
{{ range NodeConditions }}
- lastHeartbeatTime: {{ $now | Quote }}
  lastTransitionTime: {{ $now | Quote }}
  message: {{ .message | Quote }}
  reason: {{ .reason | Quote }}
  status: {{ .status | Quote }}
  type: {{ .type | Quote }}
{{ end }}
addresses:
- address: {{ NodeIP | Quote }}
  type: InternalIP
- address: {{ NodeName | Quote }}
  type: Hostname
allocatable:
{{ YAML .status.allocatable 1 }}
capacity:
{{ YAML .status.capacity 1 }}
nodeInfo:
  architecture: amd64
  operatingSystem: linux
  kubeletVersion: {{ printf "kwok-%s" Version | Quote }}
phase: Running
`;

/** A pod's statuses for each container of `list`, in one state (kwok template text). */
function statuses(field: string, list: string, ready: boolean, state: string): string {
  return `${field}:
{{ range ${list} }}
- image: {{ .image | Quote }}
  name: {{ .name | Quote }}
  ready: ${ready}
  started: ${ready}
  restartCount: 0
  state:
${state}{{ end }}
`;
}
const running = `    running:
      startedAt: {{ $now | Quote }}
`;
const completed = `    terminated:
      exitCode: 0
      reason: Completed
      startedAt: {{ $now | Quote }}
      finishedAt: {{ $now | Quote }}
`;

const podRunning = `{{ $now := Now }}
conditions:
- lastTransitionTime: {{ $now | Quote }}
  status: "True"
  type: Initialized
- lastTransitionTime: {{ $now | Quote }}
  status: "True"
  type: Ready
- lastTransitionTime: {{ $now | Quote }}
  status: "True"
  type: ContainersReady
{{ range .spec.readinessGates }}
- lastTransitionTime: {{ $now | Quote }}
  status: "True"
  type: {{ .conditionType | Quote }}
{{ end }}
${statuses("containerStatuses", ".spec.containers", true, running)}${statuses("initContainerStatuses", ".spec.initContainers", true, completed)}hostIP: {{ NodeIPWith .spec.nodeName | Quote }}
podIP: {{ PodIPWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) | Quote }}
phase: Running
startTime: {{ $now | Quote }}
`;

const podSucceeded = `{{ $now := Now }}
${statuses("containerStatuses", ".spec.containers", false, completed)}conditions:
- lastTransitionTime: {{ $now | Quote }}
  status: "False"
  type: Ready
  reason: PodCompleted
phase: Succeeded
`;

export function kwokStages(): object[] {
  return [
    stage(
      "node-ready",
      "Node",
      [{ key: '.status.conditions.[] | select( .type == "Ready" ) | .status', operator: "NotIn", values: ["True"] }],
      { statusTemplate: nodeReady },
    ),
    stage(
      "pod-ready",
      "Pod",
      [
        notDeleted,
        { key: ".spec.nodeName", operator: "Exists" },
        { key: ".status.phase", operator: "In", values: ["Pending"] },
      ],
      { statusTemplate: podRunning },
    ),
    stage(
      "pod-complete",
      "Pod",
      [
        notDeleted,
        { key: ".status.phase", operator: "In", values: ["Running"] },
        { key: ".metadata.ownerReferences.[].kind", operator: "In", values: ["Job"] },
      ],
      { statusTemplate: podSucceeded },
    ),
    stage("pod-delete", "Pod", [{ key: ".metadata.deletionTimestamp", operator: "Exists" }], { delete: true }),
  ];
}
