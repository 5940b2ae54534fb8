/** `joule devices list|show`. */
import type { Figure } from '../../../common/devices/profile';
import type { Command } from '../command';

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
  },
};

export const devicesCommands = [list, show];
