/** `joule energy|partition|profile MODEL`: the energy model from the command line. */
import path from 'node:path';
import { precisions, type Precision } from '../../../common/devices/profile';
import { analyzeModel } from '../../../core/energy/analyze';
import { autoPrecision, toReport } from '../../../core/energy/run';
import type { EnergyProfile } from '../../../core/energy/device-kind';
import { compareWithMeasurement } from '../../../core/energy/host-check';
import { measureLayers } from '../../../core/energy/measure-layers';
import { partitionModel } from '../../../core/energy/partition';
import { hostProfile, resolveProfile } from '../../../core/energy/resolve-profile';
import { resolveModel, type ModelPurpose } from '../../../core/zoo/resolve';
import { choiceOption, numberOption, UsageError, type CliContext, type Command, type ParsedArgs } from '../command';
import { textTable } from '../table';

const MODEL = { name: 'MODEL', description: 'An .onnx file or zoo:NAME (see joule zoo list).' };

function loadModel(context: CliContext, spec: string, purpose: ModelPurpose) {
  return resolveModel(spec, { purpose, modelsDir: path.join(context.paths.resourcesDir, 'models') });
}

async function device(context: CliContext, args: ParsedArgs): Promise<EnergyProfile> {
  const id = args.options.device;
  if (typeof id !== 'string') throw new UsageError('Missing --device ID.');
  const runtime = await context.runtime();
  return resolveProfile(id, { library: runtime.library, dataDir: context.paths.dataDir });
}

/** The requested precision, or the device's fastest float (int8 where it is the only one). */
function precisionFor(args: ParsedArgs, profile: EnergyProfile): Precision {
  return args.options.precision === undefined ? autoPrecision(profile) : choiceOption(args, 'precision', precisions, 'fp32');
}

const energy: Command = {
  words: ['energy'],
  summary: 'Per-layer inference energy, latency and memory fit of a model on a device.',
  positionals: [MODEL],
  options: {
    device: { type: 'string', placeholder: 'ID', description: 'A library device id, eyeriss, cloud-t4, host, or a profile .json file.' },
    precision: { type: 'string', placeholder: 'P', description: 'fp32, fp16 or int8 (default: the device\'s fastest float, or int8).' },
    batch: { type: 'string', placeholder: 'N', description: 'Batch size a dynamic batch dimension counts as (default 1).' },
  },
  async run(args, context) {
    const profile = await device(context, args);
    const { model, name } = loadModel(context, args.positionals[0], 'analyze');
    const batch = numberOption(args, 'batch', { min: 1, integer: true }) ?? 1;
    const analysis = analyzeModel(model, profile, { precision: precisionFor(args, profile), batch, name });
    if (args.json) {
      context.out(JSON.stringify(toReport(analysis), null, 2));
      return;
    }
    const t = analysis.totals;
    const u = analysis.units === 'J' ? 'mJ' : 'units';
    const scale = analysis.units === 'J' ? 1e3 : 1;
    context.out(`${analysis.model.name} on ${analysis.device.name} (${analysis.precision}, batch ${analysis.batch}): ${(t.energyJ * scale).toPrecision(4)} ${u}, ${t.latencyMs.toPrecision(4)} ms per inference`);
    context.out(`  computation ${(t.computeJ * scale).toPrecision(3)}, DRAM ${(t.dramJ * scale).toPrecision(3)}, buffer ${(t.bufferJ * scale).toPrecision(3)}, RF/array ${(t.rfJ * scale).toPrecision(3)}, static ${(t.staticJ * scale).toPrecision(3)} ${u}`);
    context.out(`  memory: ${(t.weightBytes / 1e6).toFixed(1)} MB weights + ${(t.peakActivationBytes / 1e6).toFixed(1)} MB peak activations (at ${t.peakActivationLayer}) ${t.fits ? 'fit in' : 'DO NOT fit in'} ${(t.ramBytes / 1e6).toFixed(0)} MB`);
    const top = [...analysis.layers].filter((l) => !l.fusedInto).sort((a, b) => b.energyJ - a.energyJ).slice(0, 10);
    context.out(`\nTop layers by energy (${u}):`);
    context.out(textTable(['layer', 'op', 'MMACs', 'energy', 'DRAM', 'ms', 'bound'], top.map((l) => [l.name, l.op, l.macs / 1e6, l.energyJ * scale, l.dramJ * scale, l.latencyMs, l.bound])));
    for (const w of analysis.warnings) context.err(`warning: ${w}`);
  },
};

const partition: Command = {
  words: ['partition'],
  summary: 'Where to split a model between the device and the cloud: device energy and latency of every cut.',
  positionals: [MODEL],
  options: {
    device: { type: 'string', placeholder: 'ID', description: 'The edge device (library id or profile .json).' },
    'uplink-mbps': { type: 'string', placeholder: 'X', description: 'Uplink throughput to the cloud, Mbit/s.' },
    radio: { type: 'string', placeholder: 'R', description: 'wifi or lte (default wifi): the radio power model.' },
    'rtt-ms': { type: 'string', placeholder: 'MS', description: 'Round-trip time to the cloud (default 20).' },
    'slo-ms': { type: 'string', placeholder: 'MS', description: 'End-to-end latency limit; the best cut must meet it.' },
    precision: { type: 'string', placeholder: 'P', description: 'Device precision (default: its fastest float).' },
  },
  async run(args, context) {
    const profile = await device(context, args);
    const uplinkMbps = numberOption(args, 'uplink-mbps', { min: 0 });
    if (uplinkMbps === undefined) throw new UsageError('Missing --uplink-mbps X.');
    const { model, name } = loadModel(context, args.positionals[0], 'analyze');
    const analysis = analyzeModel(model, profile, { precision: precisionFor(args, profile), name });
    const result = partitionModel(model, analysis, {
      deviceProfile: profile,
      uplinkMbps,
      radio: choiceOption(args, 'radio', ['wifi', 'lte'] as const, 'wifi'),
      rttMs: numberOption(args, 'rtt-ms', { min: 0 }) ?? 20,
      sloMs: numberOption(args, 'slo-ms', { min: 0 }),
    });
    if (args.json) {
      context.out(JSON.stringify(result, null, 2));
      return;
    }
    const b = result.best;
    context.out(`Best cut: ${b.cutAfter === null ? 'everything in the cloud' : `after ${b.cutAfter}`}: device ${(b.deviceEnergyJ * 1e3).toPrecision(4)} mJ, ${b.latencyMs.toPrecision(4)} ms end to end, ${(b.transmitBytes / 1e3).toFixed(1)} kB sent.`);
    context.out(b.reason);
  },
};

const profileCommand: Command = {
  words: ['profile'],
  summary: 'Run a model on this machine with onnxruntime\'s profiler and put measured latency beside the host profile\'s prediction, per layer.',
  positionals: [MODEL],
  options: {
    threads: { type: 'string', placeholder: 'N', description: 'onnxruntime threads (default 1, as the host profile was measured).' },
    runs: { type: 'string', placeholder: 'N', description: 'Timed runs (default 10).' },
    remeasure: { type: 'boolean', description: 'Measure the host profile again instead of using the cached one.' },
  },
  async run(args, context) {
    const { model, name } = loadModel(context, args.positionals[0], 'analyze');
    const profile = await hostProfile(context.paths.dataDir, { remeasure: args.options.remeasure === true });
    const analysis = analyzeModel(model, profile, { precision: 'fp32', name });
    const measured = await measureLayers(model, {
      threads: numberOption(args, 'threads', { min: 1, integer: true }) ?? 1,
      runs: numberOption(args, 'runs', { min: 1, integer: true }) ?? 10,
    });
    const report = compareWithMeasurement(analysis, measured);
    if (args.json) {
      context.out(JSON.stringify(report, null, 2));
      return;
    }
    context.out(`${name} on this machine: measured ${report.totals.measuredMs.toFixed(2)} ms, predicted ${report.totals.predictedMs.toFixed(2)} ms (${report.totals.errorPercent > 0 ? '+' : ''}${report.totals.errorPercent.toFixed(0)}%).`);
    context.out(textTable(['layer', 'op', 'predicted ms', 'measured ms'], report.layers.map((l) => [l.name, l.op, l.predictedMs, l.measuredMs ?? NaN])));
  },
};

export const energyCommands = [energy, partition, profileCommand];
