/**
 * Puts measured onnxruntime latency beside the energy model's prediction for the host profile,
 * layer by layer: the reality check behind `joule profile` and the host latency table in docs.
 */
import type { HostCheck } from '../../common/energy/reports';
import type { EnergyAnalysis } from './analyze';
import type { LayerMeasurement } from './measure-layers';

/**
 * onnxruntime renames nodes it fuses (`conv1_fused`, `conv1_token_3`...). A measured name maps
 * to the analysis layer it starts with (longest match), and a fused analysis layer's time goes
 * to the layer it is fused into.
 */
export function compareWithMeasurement(analysis: EnergyAnalysis, measured: LayerMeasurement): HostCheck {
  const rootOf = new Map(analysis.layers.map((l) => [l.name, l.fusedInto ?? l.name]));
  const names = [...rootOf.keys()].sort((a, b) => b.length - a.length);
  const measuredByRoot = new Map<string, number>();
  let unmatched = 0;
  let kernel = 0;
  for (const [node, ms] of measured.nodeMs) {
    kernel += ms;
    const layer = rootOf.has(node) ? node : names.find((n) => node.startsWith(n));
    if (!layer) {
      unmatched += ms;
      continue;
    }
    const root = rootOf.get(layer)!;
    measuredByRoot.set(root, (measuredByRoot.get(root) ?? 0) + ms);
  }
  const layers = analysis.layers
    .filter((l) => !l.fusedInto)
    .map((l) => ({ name: l.name, op: l.op, predictedMs: l.latencyMs, measuredMs: measuredByRoot.get(l.name) ?? null }));
  const predictedMs = analysis.totals.latencyMs;
  return {
    model: analysis.model.name,
    device: analysis.device.id,
    totals: { measuredMs: measured.totalMs, predictedMs, errorPercent: ((predictedMs - measured.totalMs) / measured.totalMs) * 100, kernelMs: kernel, unmatchedKernelMs: unmatched },
    layers,
  };
}
