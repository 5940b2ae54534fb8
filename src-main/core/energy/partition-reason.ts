/** The one-sentence explanation of why a partition cut wins. */
import type { PartitionCutReport as PartitionCut } from '../../common/energy/reports';

const mb = (bytes: number) => `${(bytes / 1e6).toPrecision(3)} MB`;
const joules = (j: number) => `${j.toPrecision(3)} J`;
const ms = (m: number) => `${m.toPrecision(3)} ms`;

function where(cut: PartitionCut, nodes: number): string {
  if (cut.deviceLayers === 0) return 'sending the input and running everything in the cloud';
  if (cut.deviceLayers === nodes) return 'running everything on the device';
  return `cutting after '${cut.cutAfter}'`;
}

export interface ReasonInput {
  best: PartitionCut;
  cuts: PartitionCut[];
  /** The lowest-energy cut regardless of the SLO. */
  cheapest: PartitionCut;
  options: { uplinkMbps: number; sloMs?: number };
  radioName: string;
  nodes: number;
}

/**
 * @example
 *   "Cutting after 'layer3.5.relu' sends 0.200 MB (16.0 ms at 100 Mbps over wifi) and costs the
 *    device 0.0900 J, 64% less than running everything on the device."
 */
export function partitionReason({ best, cuts, cheapest, options, radioName, nodes }: ReasonInput): string {
  const local = cuts.find((c) => c.deviceLayers === nodes);
  const slo = options.sloMs;
  if (!best.meetsSlo && slo !== undefined) {
    return `No cut meets the ${ms(slo)} SLO; ${where(best, nodes)} is the fastest at ${ms(best.latencyMs)}.`;
  }
  const within = slo !== undefined ? `, within the ${ms(slo)} SLO` : '';
  const sloNote =
    cheapest !== best && slo !== undefined
      ? ` (${where(cheapest, nodes)} would use ${joules(cheapest.deviceEnergyJ)} but takes ${ms(cheapest.latencyMs)})`
      : '';
  if (best.deviceLayers === nodes) {
    if (cuts.length === 1) return `With no uplink, every layer runs on the device (${joules(best.deviceEnergyJ)}).`;
    const offloads = cuts.filter((c) => c.deviceLayers < nodes);
    const alt = offloads.reduce((a, b) => (b.deviceEnergyJ < a.deviceEnergyJ ? b : a));
    return (
      `Running everything on the device costs ${joules(best.deviceEnergyJ)}${within}${sloNote}; the cheapest offload, ` +
      `${where(alt, nodes)}, would cost ${joules(alt.deviceEnergyJ)}, ${joules(alt.transmitJ)} of it to send ${mb(alt.transmitBytes)} ` +
      `over ${options.uplinkMbps} Mbps ${radioName}.`
    );
  }
  const saving = local ? `, ${Math.round((1 - best.deviceEnergyJ / local.deviceEnergyJ) * 100)}% less than running everything on the device` : '';
  const what = where(best, nodes);
  return (
    `${what[0].toUpperCase()}${what.slice(1)} sends ${mb(best.transmitBytes)} (${ms(best.transmitMs)} at ${options.uplinkMbps} Mbps over ${radioName}) ` +
    `and costs the device ${joules(best.deviceEnergyJ)}${saving}${within}${sloNote}.`
  );
}
