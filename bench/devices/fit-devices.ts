/**
 * Fits the device library's latency models to the published corpus and checks them (issue 11):
 *
 *   node --import tsx bench/devices/fit-devices.ts [--check]
 *
 * 1. One joint fit of every profile with `fit` points (core/energy/fidelity), written into
 *    resources/devices/<id>.json as `latencyModel` with the fit's provenance; jetson-nano-5w, with
 *    no published point of its own, gets jetson-nano-10w's figures (same GPU and runtime; its
 *    peak already carries the 5 W clocks). `--check` skips the writing.
 * 2. The library as written against the corpus, cross-validated leave-one-network-out, into
 *    docs/device-validation.md (tables, targets met or missed) and docs/device-validation.svg
 *    (predicted against measured, log-log, with the ±25 % band).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { layerClasses, type DeviceProfile, type Figure, type LatencyModel } from '../../src-main/common/devices/profile';
import type { DeviceValidation, ErrorSummary, ValidationPoint } from '../../src-main/common/energy/validation';
import { DeviceLibrary } from '../../src-main/core/energy/device-library';
import { readCorpus } from '../../src-main/core/energy/fidelity/corpus';
import type { SpeedParams } from '../../src-main/core/energy/fidelity/terms';
import { fitLibrary, validateLibrary } from '../../src-main/core/energy/fidelity/validate';
import { loadLine, machineLine } from '../machine';

const root = path.resolve(import.meta.dirname, '..', '..');
const devicesDir = path.join(root, 'resources', 'devices');
const corpusFile = path.join(devicesDir, 'measurements', 'published.csv');
const CORPUS = 'resources/devices/measurements/published.csv';
const check = process.argv.includes('--check');
const date = new Date().toISOString().slice(0, 10);

const RUNTIMES: Record<string, string> = {
  'raspberry-pi-4': 'ncnn (benchncnn), CPU, 4 threads, fp32, 1.5 GHz board, batch 1',
  'jetson-nano-10w': 'TensorRT, fp16 (torch2trt and NetsPresso benchmarks), GPU, batch 1',
  'jetson-nano-5w': 'TensorRT, fp16, GPU, batch 1 (the 10 W fit at 5 W clocks)',
  'jetson-orin-nano': 'TensorRT, fp16 and fp32 (NetsPresso, onnxruntime TensorRT EP), GPU, batch 1',
  'jetson-xavier-nx': 'TensorRT, int8 and fp16 (MLPerf SingleStream, NetsPresso), GPU without the DLAs, batch 1',
  'coral-dev-board': 'Edge TPU runtime, C++ API, int8 (compiled TFLite), Dev Board, batch 1',
};

const round = (x: number) => Number(x.toPrecision(4));

function latencyModel(id: string, params: SpeedParams, points: number, fitNote: string, transferredFrom?: string): LatencyModel {
  const source = transferredFrom
    ? `Transferred from ${transferredFrom}'s fit (${date}): same GPU and runtime, no published point of its own`
    : `Fitted by Joule (${date}) to ${points} published batch-1 latencies in ${CORPUS} (bench/devices/fit-devices.ts)`;
  const figure = (value: number, note: string): Figure => ({ value: round(value), source, estimate: true, note });
  return {
    runtime: RUNTIMES[id],
    efficiency: Object.fromEntries(
      layerClasses.map((c) => [c, figure(params.efficiency[c], `Share of the peak MAC rate reached by ${c === 'convLarge' ? 'convolutions with windows above 3x3' : c === 'conv' ? 'convolutions up to 3x3' : c === 'fc' ? 'fully connected layers' : `${c} convolutions`}. ${fitNote}`)]),
    ) as LatencyModel['efficiency'],
    bandwidthEfficiency: figure(params.bandwidthEfficiency, `Share of the memory bandwidth reached by layers that stream. ${fitNote}`),
    layerOverheadUs: figure(params.layerOverheadUs, `Fixed cost of every layer that runs (launch, dispatch), microseconds. ${fitNote}`),
  };
}

function writeProfile(profile: DeviceProfile, model: LatencyModel): void {
  const file = path.join(devicesDir, `${profile.id}.json`);
  const current = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const { notes, latencyModel: _old, ...rest } = current;
  writeFileSync(file, `${JSON.stringify({ ...rest, latencyModel: model, ...(notes === undefined ? {} : { notes }) }, null, 2)}\n`);
}

const corpus = readCorpus(corpusFile);
if (!check) {
  const library = await DeviceLibrary.load(devicesDir);
  const profiles = library.ids().map((id) => library.get(id));
  const fit = fitLibrary(profiles, corpus);
  const fitNote = `Joint least-squares fit on log latency over every device, class ratios shared with each device's own departure weighted ${fit.options.ridgeDevice} (chosen by leave-one-network-out cross-validation).`;
  profiles.forEach((p, d) => {
    const params = fit.params[d];
    if (params) writeProfile(p, latencyModel(p.id, params, fit.counts[d], fitNote));
  });
  const nano10 = fit.params[profiles.findIndex((p) => p.id === 'jetson-nano-10w')];
  if (nano10) writeProfile(library.get('jetson-nano-5w'), latencyModel('jetson-nano-5w', nano10, 0, 'Unvalidated: no published 5 W measurement was found.', 'jetson-nano-10w'));
  console.log(`Fitted ${fit.counts.reduce((a, b) => a + b, 0)} points; settings ${JSON.stringify(fit.options)}.`);
}

const library = await DeviceLibrary.load(devicesDir);
const report = validateLibrary(library.ids().map((id) => library.get(id)), corpus, CORPUS);
const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
const summary = (s: ErrorSummary | null) => (s ? `${pct(s.medianAbsError)} | ${pct(s.within25)} | ${pct(s.within50)}` : '— | — | —');
const meets = (ok: boolean) => (ok ? 'met' : '**missed**');

const withSix = report.devices.filter((d) => (d.crossValidated?.points ?? 0) >= 6);
const md: string[] = [
  '# Device fidelity: predicted against published latencies',
  '',
  `Generated ${date} by \`node --import tsx bench/devices/fit-devices.ts\` on ${machineLine()} (load ${loadLine()}). Corpus: \`${CORPUS}\` (${corpus.length} rows; what each column means and where each figure comes from: \`resources/devices/measurements/README.md\`).`,
  '',
  'Every profile states the runtime it represents (`latencyModel.runtime`); only rows of that runtime, precision and board (`use = fit`) are fitted and scored. Predictions come from the layers of the network Joule builds (per layer class: regular convolutions up to 3x3, larger windows, pointwise, depthwise, fully connected; streaming layers at the bandwidth; a fixed cost per layer), never from a table keyed by network name.',
  '',
  '**Honest error**: each network is predicted by a fit that never saw that network on any device (leave-one-network-out; the fit\'s weights are chosen by a cross-validation inside each fold). "Kind defaults" is the same layer model with one efficiency per device kind, before any fit.',
  '',
  '## How the fit was arrived at (and what was tried first)',
  '',
  'The first version fitted each device alone (7 parameters, 4-11 points each): cross-validated median 29 %, the Coral 47 %. Sharing the class ratios between devices (each device keeps a ridge-weighted departure) brought the median to 16-23 % but let the fit explain the Raspberry Pi\'s small networks by a per-layer overhead of 0.65 ms, which would make every small network on it overhead-bound. The overhead was then capped, and the cap (30 or 100 µs), the weight of the overhead\'s prior and the weight of the device departures are all chosen inside each cross-validation fold from a fixed grid (core/energy/fidelity/fit.ts `RIDGE_GRID`). The grid was settled after seeing those first results, which is a choice made with the corpus in view; the per-fold selection keeps each network out of its own prediction.',
  '',
  '## Targets',
  '',
  '| target | measured | |',
  '|---|---|---|',
  `| cross-validated median absolute latency error over all devices ≤ 25 % | ${report.overall ? pct(report.overall.medianAbsError) : '—'} (${report.overall?.points ?? 0} points; kind defaults ${report.overallUncalibrated ? pct(report.overallUncalibrated.medianAbsError) : '—'}) | ${meets((report.overall?.medianAbsError ?? 1) <= 0.25)} |`,
  ...withSix.map((d) => `| ${d.deviceId} (${d.crossValidated!.points} points) ≤ 35 % | ${pct(d.crossValidated!.medianAbsError)} | ${meets(d.crossValidated!.medianAbsError <= 0.35)} |`),
  `| ≥ 70 % of points within ±50 % | ${report.overall ? pct(report.overall.within50) : '—'} | ${meets((report.overall?.within50 ?? 0) >= 0.7)} |`,
  '| average power within ±25 % of published whole-board measurements | no comparable published measurement (see below) | not measurable |',
  '',
  '## Per device',
  '',
  '| device | runtime modelled | fitted points | cross-validated: median error, within ±25 %, within ±50 % | kind defaults: the same |',
  '|---|---|---:|---|---|',
  ...report.devices.map((d) => `| ${d.deviceId} | ${d.runtime ?? 'kind defaults (no latency model)'} | ${d.crossValidated?.points ?? 0} | ${summary(d.crossValidated)} | ${summary(d.uncalibrated)} |`),
  '',
  ...report.devices.filter((d) => d.note).map((d) => `- **${d.deviceId}**: ${d.note}`),
  '',
  '![Predicted against measured latency, log-log, ±25 % band](device-validation.svg)',
  '',
  '## Fitted latency models',
  '',
  `| device | ${layerClasses.join(' | ')} | bandwidth | overhead µs |`,
  `|---|${layerClasses.map(() => '---:').join('|')}|---:|---:|`,
  ...report.devices.filter((d) => d.fitted).map((d) => `| ${d.deviceId} | ${layerClasses.map((c) => d.fitted!.efficiency[c].value).join(' | ')} | ${d.fitted!.bandwidthEfficiency.value} | ${d.fitted!.layerOverheadUs.value} |`),
  '',
  'Efficiencies are shares of the profile\'s peak MAC rate at the row\'s precision; a low figure on a device whose datasheet peak counts tensor cores or sparsity (Orin, Xavier) says how far batch-1 networks are from that peak.',
  '',
  '## Every fitted point',
  '',
  '| device | network | input | precision | measured ms | cross-validated ms | ratio | kind defaults ms | corpus line |',
  '|---|---|---:|---|---:|---:|---:|---:|---:|',
  ...report.devices.flatMap((d) => d.points.filter((p) => p.use === 'fit').map((p) => `| ${d.deviceId} | ${p.model} | ${p.input} | ${p.precision} | ${p.measuredMs} | ${p.predictedMs!.toPrecision(3)} | ${(p.predictedMs! / p.measuredMs).toFixed(2)} | ${p.uncalibratedMs!.toPrecision(3)} | ${p.line} |`)),
  '',
  '## Other runtimes (shown, never fitted)',
  '',
  'The same boards under other runtimes, thread counts, clocks or hosts, predicted by the profile as fitted: how far the profile\'s runtime is from each of them.',
  '',
  '| device | runtime | points | median of predicted / measured |',
  '|---|---|---:|---:|',
  ...otherRuntimeRows(report.devices),
  '',
  '## Power',
  '',
  'The corpus has power only for the Intel NCS2 stick (USB power of the stick alone, EDLAB), and only for networks Joule does not build (Inception v3 at 299, MobileNet v3, SSD detectors). No source gave whole-board power during inference for a network Joule builds on any library device, so predicted power (idle power plus dynamic energy over latency; for a USB stick, the stick alone, without its host) is not checked against measurements. DeepEdgeBench (Baller et al. 2021) published raw meter logs for the Raspberry Pi 4, Coral Dev Board and Jetson Nano running MobileNet; deriving averages from them is the next step.',
  '',
];
writeFileSync(path.join(root, 'docs', 'device-validation.md'), md.join('\n'));
writeFileSync(path.join(root, 'docs', 'device-validation.svg'), scatterSvg(report.devices));
console.log(md.slice(0, 14 + withSix.length).join('\n'));

function otherRuntimeRows(devices: DeviceValidation[]): string[] {
  const rows: string[] = [];
  for (const d of devices) {
    const groups = new Map<string, ValidationPoint[]>();
    for (const p of d.points.filter((p) => p.use === 'other-runtime' && p.predictedMs !== null)) groups.set(`${p.runtime} (${p.precision})`, [...(groups.get(`${p.runtime} (${p.precision})`) ?? []), p]);
    for (const [runtime, points] of groups) {
      const ratios = points.map((p) => p.predictedMs! / p.measuredMs).sort((a, b) => a - b);
      rows.push(`| ${d.deviceId} | ${runtime.replace(/\|/g, '/')} | ${points.length} | ${ratios[Math.floor(ratios.length / 2)].toFixed(2)} |`);
    }
  }
  return rows;
}

function scatterSvg(devices: DeviceValidation[]): string {
  const points = devices.flatMap((d) => d.points.filter((p) => p.use === 'fit' && p.predictedMs !== null).map((p) => ({ d: d.deviceId, x: p.measuredMs, y: p.predictedMs! })));
  const W = 640;
  const H = 560;
  const pad = 60;
  const lo = Math.log10(Math.min(...points.flatMap((p) => [p.x, p.y])) / 1.5);
  const hi = Math.log10(Math.max(...points.flatMap((p) => [p.x, p.y])) * 1.5);
  const sx = (v: number) => pad + ((Math.log10(v) - lo) / (hi - lo)) * (W - 2 * pad);
  const sy = (v: number) => H - pad - ((Math.log10(v) - lo) / (hi - lo)) * (H - 2 * pad);
  const colors = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4b5563'];
  const ids = [...new Set(points.map((p) => p.d))];
  const a = 10 ** lo;
  const b = 10 ** hi;
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`, `<rect width="${W}" height="${H}" fill="white"/>`];
  out.push(`<polygon points="${sx(a)},${sy(a * 1.25)} ${sx(b / 1.25)},${sy(b)} ${sx(b)},${sy(b)} ${sx(b)},${sy(b * 0.75)} ${sx(a)},${sy(a * 0.75)}" fill="#e5e7eb"/>`);
  out.push(`<line x1="${sx(a)}" y1="${sy(a)}" x2="${sx(b)}" y2="${sy(b)}" stroke="#6b7280"/>`);
  for (let e = Math.ceil(lo); e <= Math.floor(hi); e++) {
    const v = 10 ** e;
    out.push(`<line x1="${sx(v)}" y1="${H - pad}" x2="${sx(v)}" y2="${H - pad + 5}" stroke="black"/><text x="${sx(v)}" y="${H - pad + 18}" text-anchor="middle">${v}</text>`);
    out.push(`<line x1="${pad - 5}" y1="${sy(v)}" x2="${pad}" y2="${sy(v)}" stroke="black"/><text x="${pad - 8}" y="${sy(v) + 4}" text-anchor="end">${v}</text>`);
  }
  out.push(`<rect x="${pad}" y="${pad}" width="${W - 2 * pad}" height="${H - 2 * pad}" fill="none" stroke="black"/>`);
  out.push(`<text x="${W / 2}" y="${H - 15}" text-anchor="middle">measured ms (published)</text>`, `<text x="18" y="${H / 2}" text-anchor="middle" transform="rotate(-90 18 ${H / 2})">predicted ms (cross-validated)</text>`);
  for (const p of points) out.push(`<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="4" fill="${colors[ids.indexOf(p.d) % colors.length]}" fill-opacity="0.8"/>`);
  ids.forEach((id, i) => out.push(`<circle cx="${pad + 14}" cy="${pad + 16 + i * 16}" r="4" fill="${colors[i % colors.length]}"/><text x="${pad + 24}" y="${pad + 20 + i * 16}">${id}</text>`));
  out.push(`<text x="${W - pad - 6}" y="${pad + 16}" text-anchor="end" fill="#4b5563">grey band: within ±25 %</text>`, '</svg>');
  return out.join('\n');
}
