/** `joule energy|partition|profile MODEL`: the energy model from the command line. */
import path from 'node:path';
import { MAX_ANALYSIS_BATCH, MAX_RUNS } from '../../../common/limits';
import type { HostCheck, PrecisionChoice } from '../../../common/api/energy';
import { precisions } from '../../../common/devices/profile';
import type { EnergyReport, PartitionReport } from '../../../common/energy/reports';
import { choiceOption, type Command, numberOption, type ParsedArgs, requiredNumberOption, requiredOption, threadsOption } from '../command';
import { BRANCH_OPTION, INPUT_SHAPE_OPTION, MODEL_ARGUMENT, modelArgument, TRIP_COUNT_OPTION } from '../inputs';
import { awaitJob } from '../jobs';
import { textTable } from '../table';

/** A library id as given, a profile file as an absolute path. */
function deviceOption(args: ParsedArgs): string {
  const id = requiredOption(args, 'device', 'ID');
  return id.endsWith('.json') ? path.resolve(id) : id;
}

/** The requested precision, or 'auto': the device's fastest float (int8 where it is the only one). */
function precisionOption(args: ParsedArgs): PrecisionChoice {
  return args.options.precision === undefined ? 'auto' : choiceOption(args, 'precision', precisions, 'fp32');
}

const energy: Command = {
  words: ['energy'],
  summary: 'Per-layer inference energy, latency and memory fit of a model on a device.',
  positionals: [MODEL_ARGUMENT],
  options: {
    'input-shape': INPUT_SHAPE_OPTION,
    branch: BRANCH_OPTION,
    'trip-count': TRIP_COUNT_OPTION,
    device: { type: 'string', placeholder: 'ID', description: 'A library device id, eyeriss, cloud-t4, host, or a profile .json file.' },
    precision: { type: 'string', placeholder: 'P', description: "fp32, fp16 or int8 (default: the device's fastest float, or int8)." },
    batch: { type: 'string', placeholder: 'N', description: 'Batch size a dynamic batch dimension counts as (default 1).' },
    strict: { type: 'boolean', description: 'Fail on an operator without a cost rule instead of costing it as memory-bound.' },
  },
  async run(args, context) {
    const request = { model: modelArgument(args), deviceIds: [deviceOption(args)], precision: precisionOption(args), batch: numberOption(args, 'batch', { min: 1, max: MAX_ANALYSIS_BATCH, integer: true }) ?? 1, strict: args.options.strict === true };
    const { energy: service } = (await context.runtime()).services;
    const [report] = await awaitJob<EnergyReport[]>(context, service.startAnalysis(request), { progress: false });
    if (args.json) {
      context.out(JSON.stringify(report, null, 2));
      return;
    }
    const t = report.totals;
    const u = report.units === 'J' ? 'mJ' : 'units';
    const scale = report.units === 'J' ? 1e3 : 1;
    context.out(`${report.model.name} on ${report.device.name} (${report.precision}, batch ${report.batch}): ${(t.energyJ * scale).toPrecision(4)} ${u}, ${t.latencyMs.toPrecision(4)} ms per inference`);
    context.out(`  computation ${(t.computeJ * scale).toPrecision(3)}, DRAM ${(t.dramJ * scale).toPrecision(3)}, buffer ${(t.bufferJ * scale).toPrecision(3)}, RF/array ${(t.rfJ * scale).toPrecision(3)}, static ${(t.staticJ * scale).toPrecision(3)} ${u}`);
    context.out(`  memory: ${(t.weightBytes / 2 ** 20).toFixed(1)} MB weights + ${(t.peakActivationBytes / 2 ** 20).toFixed(1)} MB peak activations (at ${t.peakActivationLayer}) ${t.fits ? 'fit in' : 'DO NOT fit in'} ${(t.ramBytes / 2 ** 20).toFixed(0)} MB`);
    const top = report.layers.filter((l) => !l.fusedInto).sort((a, b) => b.energyJ - a.energyJ).slice(0, 10);
    context.out(`\nTop layers by energy (${u}):`);
    context.out(textTable(['layer', 'op', 'MMACs', 'energy', 'DRAM', 'ms', 'bound'], top.map((l) => [l.name, l.op, l.macs / 1e6, l.energyJ * scale, l.dramJ * scale, l.latencyMs, l.bound])));
    for (const w of report.warnings) context.err(`warning: ${w}`);
  },
};

const partition: Command = {
  words: ['partition'],
  summary: 'Where to split a model between the device and the cloud: device energy and latency of every cut.',
  positionals: [MODEL_ARGUMENT],
  options: {
    'input-shape': INPUT_SHAPE_OPTION,
    branch: BRANCH_OPTION,
    'trip-count': TRIP_COUNT_OPTION,
    device: { type: 'string', placeholder: 'ID', description: 'The edge device (library id or profile .json).' },
    'uplink-mbps': { type: 'string', placeholder: 'X', description: 'Uplink throughput to the cloud, Mbit/s.' },
    radio: { type: 'string', placeholder: 'R', description: 'wifi or lte (default wifi): the radio power model.' },
    'rtt-ms': { type: 'string', placeholder: 'MS', description: 'Round-trip time to the cloud (default 20).' },
    'slo-ms': { type: 'string', placeholder: 'MS', description: 'End-to-end latency limit; the best cut must meet it.' },
    precision: { type: 'string', placeholder: 'P', description: 'Device precision (default: its fastest float).' },
  },
  async run(args, context) {
    const request = {
      model: modelArgument(args),
      deviceId: deviceOption(args),
      uplinkMbps: requiredNumberOption(args, 'uplink-mbps', 'X', { min: 0 }),
      radio: choiceOption(args, 'radio', ['wifi', 'lte'] as const, 'wifi'),
      rttMs: numberOption(args, 'rtt-ms', { min: 0 }) ?? 20,
      sloMs: numberOption(args, 'slo-ms', { min: 0 }) ?? null,
      precision: precisionOption(args),
    };
    const { energy: service } = (await context.runtime()).services;
    const result = await awaitJob<PartitionReport>(context, service.startPartition(request), { progress: false });
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
  summary: "Run a model on this machine with onnxruntime's profiler and put measured latency beside the host profile's prediction, per layer.",
  positionals: [MODEL_ARGUMENT],
  options: {
    'input-shape': INPUT_SHAPE_OPTION,
    branch: BRANCH_OPTION,
    'trip-count': TRIP_COUNT_OPTION,
    threads: { type: 'string', placeholder: 'N', description: 'onnxruntime threads (default 1, as the host profile was measured).' },
    runs: { type: 'string', placeholder: 'N', description: 'Timed runs (default 10).' },
    remeasure: { type: 'boolean', description: 'Measure the host profile again instead of using the cached one.' },
  },
  async run(args, context) {
    const request = {
      model: modelArgument(args),
      threads: threadsOption(args) ?? 1,
      runs: numberOption(args, 'runs', { min: 1, max: MAX_RUNS, integer: true }) ?? 10,
      remeasure: args.options.remeasure === true,
    };
    const { energy: service } = (await context.runtime()).services;
    const report = await awaitJob<HostCheck>(context, service.startProfile(request), { progress: !args.json });
    if (args.json) {
      context.out(JSON.stringify(report, null, 2));
      return;
    }
    context.out(`${report.model} on this machine: measured ${report.totals.measuredMs.toFixed(2)} ms, predicted ${report.totals.predictedMs.toFixed(2)} ms (${report.totals.errorPercent > 0 ? '+' : ''}${report.totals.errorPercent.toFixed(0)}%).`);
    context.out(textTable(['layer', 'op', 'predicted ms', 'measured ms'], report.layers.map((l) => [l.name, l.op, l.predictedMs, l.measuredMs ?? NaN])));
  },
};

export const energyCommands = [energy, partition, profileCommand];
