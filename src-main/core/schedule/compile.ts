/**
 * Compiles a placement problem file into the dense form the solvers share (compiled.ts):
 * machines (a node, or a host with its accelerator), classes of machines that cost the same to
 * every workload, the options of each workload on each class (one per admissible variant and
 * processor, transfers included), resources per machine and the capacity-limited links.
 *
 * Energy the placement cannot change (idle energy of always-on nodes) is the `offset`: the
 * solvers minimise the rest, every reported objective includes it.
 *
 * @example
 * const cp = compileProblem(parseProblem(json)); // throws when a workload fits nowhere
 */
import type { CompiledProblem } from './compiled';
import { ScheduleError } from './errors';
import { compileNetwork, noTransfer, type CompiledPath } from './network';
import { powerStateOf } from '../../common/placement/power';
import { variantsOf, type PlacementNode, type PlacementProblem } from '../../common/placement/problem';

/** A node with the accelerator plugged into it, if any: one node for the solvers. */
interface Machine {
  node: PlacementNode;
  accelerator: PlacementNode | null;
}

/** Resource indices; energy, accelerator compute and memory are -1 when no node needs them. */
interface Layout {
  R: number;
  energy: number;
  accelCompute: number;
  accelMemory: number;
  names: string[];
}

function layoutOf(machines: Machine[]): Layout {
  const names = ['compute', 'memory'];
  const energy = machines.some((x) => x.node.energyBudgetJ !== undefined) ? names.push('energy') - 1 : -1;
  const accelerated = machines.some((x) => x.accelerator);
  const accelCompute = accelerated ? names.push('accelerator compute') - 1 : -1;
  const accelMemory = accelerated ? names.push('accelerator memory') - 1 : -1;
  return { R: names.length, energy, accelCompute, accelMemory, names };
}

function machinesOf(p: PlacementProblem): Machine[] {
  const accelOf = new Map<string, PlacementNode>();
  for (const node of p.nodes) if (node.host) accelOf.set(node.host.nodeId, node);
  return p.nodes.filter((node) => !node.host).map((node) => ({ node, accelerator: accelOf.get(node.id) ?? null }));
}

/** Compiles a validated problem; throws a ScheduleError naming each workload that fits nowhere or a node whose idle energy breaks its budget. */
export function compileProblem(p: PlacementProblem): CompiledProblem {
  const machines = machinesOf(p);
  const net = compileNetwork(p);
  const layout = layoutOf(machines);
  const { R } = layout;
  const m = machines.length + (p.cloud ? 1 : 0);
  // Sites only tell nodes apart when some workload comes from a site.
  const located = p.workloads.some((w) => w.site !== undefined);
  const classIndex = new Map<string, number>();
  const classes: Machine[] = [];
  const nodeClass = new Int32Array(m);
  machines.forEach((x, i) => {
    const host = x.accelerator?.host;
    const key = [x.node.deviceType, located ? x.node.site : '', x.accelerator ? `${x.accelerator.deviceType}|${host!.cpuMsPerInference}|${host!.cpuPowerW}|${x.node.computeMacPerS}` : ''].join('\u0000');
    if (!classIndex.has(key)) {
      classIndex.set(key, classes.length);
      classes.push(x);
    }
    nodeClass[i] = classIndex.get(key)!;
  });
  const cloudClass = p.cloud ? classes.length : -1;
  if (p.cloud) nodeClass[m - 1] = cloudClass;
  const K = classes.length + (p.cloud ? 1 : 0);

  const cap = new Float64Array(m * R).fill(Infinity);
  const idleCost = new Float64Array(m);
  const utilScale = new Float64Array(m * R);
  let offset = 0;
  const overBudget: string[] = [];
  machines.forEach(({ node, accelerator }, i) => {
    const idleJ = (node.idlePowerW + (accelerator?.idlePowerW ?? 0)) * p.periodS;
    const alwaysOn = powerStateOf(node) === 'always-on';
    if (alwaysOn) offset += idleJ;
    else idleCost[i] = idleJ + node.wakeUpJ;
    cap[i * R] = p.utilizationLimit * node.computeMacPerS;
    cap[i * R + 1] = node.memoryMB;
    utilScale[i * R] = 1 / node.computeMacPerS;
    if (layout.energy >= 0 && node.energyBudgetJ !== undefined) {
      cap[i * R + layout.energy] = node.energyBudgetJ - (alwaysOn ? idleJ : idleCost[i]);
      if (alwaysOn && cap[i * R + layout.energy] < 0) overBudget.push(`"${node.id}" (${Math.round(idleJ)} J idle, ${Math.round(node.energyBudgetJ)} J budget)`);
    }
    if (accelerator) {
      cap[i * R + layout.accelCompute] = p.utilizationLimit * accelerator.computeMacPerS;
      cap[i * R + layout.accelMemory] = accelerator.memoryMB;
      utilScale[i * R + layout.accelCompute] = 1 / accelerator.computeMacPerS;
    }
  });
  if (overBudget.length) {
    throw new ScheduleError(`Always-on node${overBudget.length > 1 ? 's' : ''} ${overBudget.join(', ')} cannot idle through the period on ${overBudget.length > 1 ? 'their' : 'its'} energy budget; let ${overBudget.length > 1 ? 'them' : 'it'} sleep or raise the budget.`);
  }
  if (p.cloud) cap[(m - 1) * R] = p.cloud.uplinkMbps;

  const variantIds = p.models.map((model) => model.id);
  const modelIndex = new Map(variantIds.map((id, k) => [id, k]));
  const n = p.workloads.length;
  const optStart = new Int32Array(n * K + 1);
  const out = new OptionWriter(R);
  const unplaceable: string[] = [];
  const classSite = classes.map((x) => net.siteIndex.get(x.node.site)!);
  // The path from each source site to each class, built once per source site.
  const pathsFrom = new Map<number, (CompiledPath | null)[]>();
  const pathsOf = (from: number) => {
    let paths = pathsFrom.get(from);
    if (!paths) pathsFrom.set(from, (paths = classSite.map((to) => (from < 0 ? noTransfer() : net.path(from, to)))));
    return paths;
  };
  p.workloads.forEach((w, j) => {
    const inferences = w.ratePerS * p.periodS;
    const admissible = variantsOf(w)
      .map((id) => modelIndex.get(id)!)
      .filter((v) => w.accuracyFloor === undefined || (p.models[v].accuracy ?? -1) >= w.accuracyFloor);
    const paths = pathsOf(w.site === undefined ? -1 : net.siteIndex.get(w.site)!);
    for (let k = 0; k < K; k++) {
      optStart[j * K + k] = out.count;
      if (k === cloudClass) {
        if (!w.allowCloud || !p.cloud) continue;
        for (const v of admissible) {
          const model = p.models[v];
          const latency = p.cloud.rttMs + ((model.inputMB * 8) / p.cloud.uplinkMbps) * 1000 + p.cloud.serverLatencyMs;
          if (latency > w.sloMs) continue;
          out.option(inferences * model.inputMB * p.cloud.transmitJPerMB, v, 0, noTransfer(), 0);
          out.weight(0, w.ratePerS * model.inputMB * 8);
        }
        continue;
      }
      const path = paths[k];
      if (!path) continue;
      const { node, accelerator } = classes[k];
      for (let side = 0; side < (accelerator ? 2 : 1); side++) {
        const onAccel = side === 1;
        const type = onAccel ? accelerator!.deviceType : node.deviceType;
        if (w.allowedDeviceTypes && !w.allowedDeviceTypes.includes(type)) continue;
        const hostMs = onAccel ? accelerator!.host!.cpuMsPerInference : 0;
        const hostJ = onAccel ? (hostMs / 1000) * accelerator!.host!.cpuPowerW : 0;
        for (const v of admissible) {
          const model = p.models[v];
          const f = model.perDevice[type];
          if (!f || f.latencyMs + hostMs + path.rttMs + model.inputMB * path.msPerMB > w.sloMs) continue;
          const computeJ = inferences * (f.energyJ + hostJ);
          out.option(computeJ + inferences * model.inputMB * path.jPerMB, v, onAccel ? 1 : 0, path, w.ratePerS * model.inputMB * 8);
          const macs = w.ratePerS * (f.macs ?? model.macs);
          const memory = f.memoryMB ?? model.memoryMB;
          if (onAccel) {
            out.weight(0, w.ratePerS * (hostMs / 1000) * node.computeMacPerS);
            out.weight(layout.accelCompute, macs);
            out.weight(layout.accelMemory, memory);
          } else {
            out.weight(0, macs);
            out.weight(1, memory);
          }
          if (layout.energy >= 0) out.weight(layout.energy, computeJ);
        }
      }
    }
    if (optStart[j * K] === out.count) unplaceable.push(w.id);
  });
  optStart[n * K] = out.count;
  if (unplaceable.length) {
    const shown = unplaceable.slice(0, 10).map((id) => `"${id}"`).join(', ');
    throw new ScheduleError(
      `No node can run workload${unplaceable.length > 1 ? 's' : ''} ${shown}${unplaceable.length > 10 ? ` and ${unplaceable.length - 10} more` : ''}: ` +
        'no allowed device type reachable from its site has figures for an admissible variant within the latency SLO, transfers included.',
    );
  }
  const cloudIds = p.cloud ? [p.cloud.id] : [];
  return {
    n,
    m,
    K,
    R,
    nodeClass,
    cap,
    idleCost,
    utilScale,
    optStart,
    ...out.arrays(),
    L: net.L,
    linkCap: net.linkCap,
    lambda: p.lambdaJ,
    maximize: false,
    offset,
    resourceNames: layout.names,
    linkNames: net.linkNames,
    workloadIds: p.workloads.map((w) => w.id),
    nodeIds: [...machines.map((x) => x.node.id), ...cloudIds],
    acceleratorIds: [...machines.map((x) => x.accelerator?.id ?? ''), ...cloudIds.map(() => '')],
    variantIds,
  };
}

/** Appends options to growable typed arrays (a 10,000 x 1,000 fleet has millions of options). */
class OptionWriter {
  count = 0;
  private cost = new Float64Array(1024);
  private w: Float64Array;
  private variant = new Int32Array(1024);
  private accel = new Uint8Array(1024);
  private mbps = new Float64Array(1024);
  private linkStart = new Int32Array(1025);
  private links = new Int32Array(1024);
  private linkCount = 0;

  constructor(private readonly R: number) {
    this.w = new Float64Array(1024 * R);
  }

  option(cost: number, variant: number, accel: number, path: CompiledPath, mbps: number): void {
    if (this.count === this.cost.length) this.grow();
    const o = this.count++;
    this.cost[o] = cost;
    this.variant[o] = variant;
    this.accel[o] = accel;
    this.mbps[o] = mbps;
    if (this.linkCount + path.links.length > this.links.length) {
      const bigger = new Int32Array(Math.max(2 * this.links.length, this.linkCount + path.links.length));
      bigger.set(this.links);
      this.links = bigger;
    }
    this.links.set(path.links, this.linkCount);
    this.linkCount += path.links.length;
    this.linkStart[o + 1] = this.linkCount;
  }

  /** Sets resource r of the last option (weights start at 0). */
  weight(r: number, value: number): void {
    this.w[(this.count - 1) * this.R + r] = value;
  }

  private grow(): void {
    const size = this.cost.length * 2;
    const copy = <T extends Float64Array | Int32Array | Uint8Array>(a: T, length: number, make: (n: number) => T): T => {
      const b = make(length);
      b.set(a);
      return b;
    };
    this.cost = copy(this.cost, size, (k) => new Float64Array(k));
    this.w = copy(this.w, size * this.R, (k) => new Float64Array(k));
    this.variant = copy(this.variant, size, (k) => new Int32Array(k));
    this.accel = copy(this.accel, size, (k) => new Uint8Array(k));
    this.mbps = copy(this.mbps, size, (k) => new Float64Array(k));
    this.linkStart = copy(this.linkStart, size + 1, (k) => new Int32Array(k));
  }

  arrays() {
    const n = this.count;
    return {
      optCost: this.cost.slice(0, n),
      optW: this.w.slice(0, n * this.R),
      optVariant: this.variant.slice(0, n),
      optAccel: this.accel.slice(0, n),
      optMbps: this.mbps.slice(0, n),
      optLinkStart: this.linkStart.slice(0, n + 1),
      optLinks: this.links.slice(0, this.linkCount),
    };
  }
}
