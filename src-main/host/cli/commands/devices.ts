/** `joule devices list|show|validate`. */
import type { ErrorSummary, ValidationReport } from '../../../common/api/devices';
import { layerClasses, type Figure } from '../../../common/devices/profile';
import { stringOption, type Command } from '../command';
import { awaitJob } from '../jobs';
import { textTable } from '../table';

const list: Command = {
  words: ['devices', 'list'],
  summary: 'List the device types of the library.',
  positionals: [],
  options: {},
  async run(args, context) {
    const summaries = await (await context.runtime()).services.devices.list();
    if (args.json) {
      context.out(JSON.stringify(summaries, null, 2));
      return;
    }
    for (const d of summaries) {
      context.out(`${d.id.padEnd(18)} ${d.name.padEnd(40)} ${String(d.ramMB).padStart(6)} MB  ${d.idlePowerW}-${d.loadedPowerW} W`);
    }
  },
};

const show: Command = {
  words: ['devices', 'show'],
  summary: 'Show every figure of one device type, with its source.',
  positionals: [{ name: 'ID', description: 'A library device id, e.g. jetson-nano-10w.' }],
  options: {},
  async run(args, context) {
    const profile = await (await context.runtime()).services.devices.get(args.positionals[0]);
    if (args.json) {
      context.out(JSON.stringify(profile, null, 2));
      return;
    }
    context.out(`${profile.name} (${profile.id}), ${profile.computeUnit}`);
    const row = (label: string, f: Figure | undefined, unit: string) => {
      if (f) context.out(`  ${label.padEnd(28)} ${`${f.value} ${unit}`.padEnd(14)} ${f.estimate ? '(estimate) ' : ''}${f.source}`);
    };
    for (const p of profile.precisions) row(`peak ${p}`, profile.peakTops[p], 'TOPS');
    row('memory bandwidth', profile.memoryBandwidthGBps, 'GB/s');
    row('RAM', profile.ramMB, 'MB');
    row('storage', profile.storageGB, 'GB');
    row('on-chip buffer', profile.onChipBufferKB, 'KB');
    row('register file', profile.registerFileKB, 'KB');
    row('idle power', profile.idlePowerW, 'W');
    row('loaded power', profile.loadedPowerW, 'W');
    for (const r of profile.radios) row(`radio ${r.type} (${r.standard})`, r.maxUplinkMbps, 'Mbps up');
    const speed = profile.latencyModel;
    if (speed) {
      context.out(`  latency model: ${speed.runtime}`);
      for (const c of layerClasses) row(`  efficiency ${c}`, speed.efficiency[c], 'of peak');
      row('  bandwidth efficiency', speed.bandwidthEfficiency, 'of peak');
      row('  overhead per layer', speed.layerOverheadUs, 'us');
    }
  },
};

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const summary = (s: ErrorSummary | null) => (s ? `${pct(s.medianAbsError)} median, ${pct(s.within25)} within 25%, ${pct(s.within50)} within 50% (${s.points} points)` : 'no fitted points');

const validate: Command = {
  words: ['devices', 'validate'],
  summary: "Check the library's latency predictions against published measurements: each network predicted by a fit that never saw it.",
  positionals: [],
  options: { device: { type: 'string', placeholder: 'ID', description: 'Report one device only (the fit still uses every device).' } },
  async run(args, context) {
    const { devices } = (await context.runtime()).services;
    const report = await awaitJob<ValidationReport>(context, devices.startValidate({ deviceId: stringOption(args, 'device') }), { progress: !args.json });
    if (args.json) {
      context.out(JSON.stringify(report, null, 2));
      return;
    }
    for (const d of report.devices) {
      context.out(`\n${d.deviceId}: ${d.runtime ?? 'device kind defaults'}`);
      context.out(`  cross-validated: ${summary(d.crossValidated)}; kind defaults: ${summary(d.uncalibrated)}`);
      if (d.note) context.out(`  ${d.note}`);
      const fitted = d.points.filter((p) => p.use === 'fit' && p.predictedMs !== null);
      if (fitted.length) context.out(textTable(['network', 'input', 'precision', 'measured ms', 'predicted ms', 'ratio'], fitted.map((p) => [p.model, p.input, p.precision, p.measuredMs, p.predictedMs!, (p.predictedMs! / p.measuredMs).toFixed(2)])));
    }
    if (!args.options.device) context.out(`\nAll devices: ${summary(report.overall)}; kind defaults: ${summary(report.overallUncalibrated)}.`);
  },
};

export const devicesCommands = [list, show, validate];
