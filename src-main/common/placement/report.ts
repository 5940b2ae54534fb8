/** What the checker (checker.ts) says about a placement: violations, per-node and per-hop figures, the objective. */

export type ConstraintKind =
  | 'unassigned'
  | 'unknownWorkload'
  | 'unknownNode'
  | 'unknownVariant'
  | 'allowedType'
  | 'cloudNotAllowed'
  | 'unsupported'
  | 'accuracy'
  | 'noPath'
  | 'slo'
  | 'compute'
  | 'headroom'
  | 'memory'
  | 'energyBudget'
  | 'network'
  | 'link';

export interface Violation {
  workloadId?: string;
  nodeId?: string;
  /** The LAN or link at fault (`lan:SITE` or the link's id), for network violations. */
  hopId?: string;
  constraint: ConstraintKind;
  /** A full sentence quoting the values at fault. */
  message: string;
  /** The numbers at fault, for a window that words and formats them itself (units: see `ViolationFigures`). */
  figures?: ViolationFigures;
}

/**
 * What was needed and what was allowed, in the constraint's unit: MAC/s (compute), fraction of
 * compute (headroom), MB (memory), J per period (energyBudget), Mb/s (network, link), ms (slo),
 * fraction (accuracy). An SLO violation also carries the parts of its latency.
 */
export interface ViolationFigures {
  value: number;
  limit: number;
  inferenceMs?: number;
  hostMs?: number;
  transferMs?: number;
}

export interface NodeReport {
  nodeId: string;
  workloadIds: string[];
  /** Compute (edge) or link bandwidth (cloud) in use over capacity; above 1 is overloaded. */
  utilization: number;
  memoryMB: number;
  /**
   * Energy over the period: inference energy, a host's work for its accelerator, idle energy
   * when counted (always on, or powered because it or its accelerator serves) and wake-up energy.
   */
  energyJ: number;
  /** Whether the node is on during the period (always-on, or it or its host/accelerator serves). */
  powered: boolean;
}

/** Traffic on a LAN or a link between sites. */
export interface HopReport {
  /** `lan:SITE` for a site's LAN, the link's id for a link. */
  hopId: string;
  kind: 'lan' | 'link';
  sites: string[];
  mbps: number;
  /** null: no stated capacity. */
  capacityMbps: number | null;
  workloadIds: string[];
  energyJ: number;
}

/** Where the energy of the period goes, J; the parts sum to `energyJ`. */
export interface EnergyBreakdown {
  inferenceJ: number;
  /** Hosts' pre- and post-processing for their accelerators. */
  hostJ: number;
  /** Idle energy of every powered node, always-on nodes included. */
  idleJ: number;
  /** The part of idleJ spent by always-on nodes: the same for every placement. */
  alwaysOnIdleJ: number;
  wakeUpJ: number;
  /** Inputs carried over LANs and links between sites. */
  transferJ: number;
  /** Radio energy of inputs sent to the cloud. */
  cloudJ: number;
}

export interface PlacementReport {
  feasible: boolean;
  objective: number;
  energyJ: number;
  energy: EnergyBreakdown;
  /** The balance term of the objective: the largest compute utilization over the edge nodes (0 when none serves). */
  imbalance: number;
  /** The same number as `imbalance`, under the name the map uses. */
  maxUtilization: number;
  violations: Violation[];
  nodes: NodeReport[];
  hops: HopReport[];
}

/** Workload id -> node id (the cloud's id for offloaded work). */
export type Assignment = Record<string, string>;
/** Workload id -> chosen model id, for workloads with variants; default: the first variant. */
export type VariantChoice = Record<string, string>;
