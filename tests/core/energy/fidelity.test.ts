/**
 * Device fidelity: the layer classes, the latency terms the fit works on, the joint fit (it
 * recovers parameters it generated data from), the corpus file, and the rule that predictions
 * come from layers, never from a network's name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerClasses, type Precision } from '../../../src-main/common/devices/profile';
import { analyzeModel } from '../../../src-main/core/energy/analyze';
import type { EnergyProfile } from '../../../src-main/core/energy/device-kind';
import { parseCorpus, readCorpus } from '../../../src-main/core/energy/fidelity/corpus';
import { crossValidate, fitSpeeds, type FitRow } from '../../../src-main/core/energy/fidelity/fit';
import { latencyTerms, predictSeconds, type SpeedParams } from '../../../src-main/core/energy/fidelity/terms';
import { kindPrior, profileSpeed } from '../../../src-main/core/energy/fidelity/speed';
import { ModelCache } from '../../../src-main/core/energy/fidelity/validate';
import { layerClass } from '../../../src-main/core/energy/layer-class';
import { shapeLookup } from '../../../src-main/core/onnx/count';
import { inferValues } from '../../../src-main/core/onnx/shapes';
import { zoo, zooNames } from '../../../src-main/core/zoo/registry';
import { LAYERS, layerModel, libraryProfile } from './corpus';

const corpusFile = path.resolve('resources/devices/measurements/published.csv');

describe('layer classes', () => {
  it('tell regular, large-window, pointwise, depthwise and fully connected layers apart from the graph', () => {
    const expected: Record<string, string> = {
      'AlexNet conv1 11x11/4': 'convLarge',
      'ResNet conv1 7x7/2': 'convLarge',
      '3x3 64->64 at 56': 'conv',
      '1x1 256->64 at 56': 'pointwise',
      'depthwise 3x3/2 144 at 56': 'depthwise',
      'grouped 3x3 g4 64 at 28': 'conv',
      '5x5 48->128 at 27': 'convLarge',
      'FC 9216->4096': 'fc',
      'MatMul 196x768 x 768x3072': 'fc',
    };
    for (const [name, cls] of Object.entries(expected)) {
      const model = layerModel(LAYERS.find((l) => l.name === name)!);
      const node = model.graph.nodes[0];
      expect(layerClass(node, shapeLookup(inferValues(model, { batch: 1 }))), name).toBe(cls);
    }
  });
});

describe('latency terms', () => {
  it('reproduce the analysis: the fit optimises exactly what the energy model predicts', async () => {
    for (const id of ['raspberry-pi-4', 'coral-dev-board', 'jetson-nano-10w', 'intel-ncs2']) {
      const profile = await libraryProfile(id);
      const precision = profile.precisions.includes('fp16') ? 'fp16' : profile.precisions[0];
      for (const name of ['resnet50', 'mobilenet_v2', 'googlenet', 'alexnet']) {
        const model = zoo[name as 'resnet50'].build({ batch: 1 });
        const analysis = analyzeModel(model, profile, { precision });
        const predicted = predictSeconds(latencyTerms(analysis, profile, precision), profileSpeed(profile)) * 1e3;
        expect(predicted / analysis.totals.latencyMs, `${name} on ${id}`).toBeCloseTo(1, 9);
      }
    }
  });

  it('do not depend on the network’s name: a renamed graph with renamed layers predicts the same', async () => {
    const profile = await libraryProfile('jetson-nano-10w');
    const model = zoo.googlenet.build({ batch: 1 });
    const renamed = { ...model, graph: { ...model.graph, name: 'something-else', nodes: model.graph.nodes.map((n, i) => ({ ...n, name: `layer_${i}` })) } };
    const a = analyzeModel(model, profile, { precision: 'fp16' }).totals.latencyMs;
    const b = analyzeModel(renamed, profile, { precision: 'fp16' }).totals.latencyMs;
    expect(b).toBe(a);
  });

  it('are computed by code that names no network', () => {
    const dirs = ['src-main/core/energy', 'src-main/core/energy/fidelity'];
    for (const dir of dirs) {
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
        const text = readFileSync(path.join(dir, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
        for (const name of zooNames) expect(text.includes(`'${name}'`) || text.includes(`"${name}"`), `${dir}/${file} names ${name}`).toBe(false);
      }
    }
  });
});

describe('the joint fit', () => {
  const truth: SpeedParams[] = [
    { efficiency: { conv: 0.4, convLarge: 0.15, pointwise: 0.3, depthwise: 0.05, fc: 0.35 }, bandwidthEfficiency: 0.6, layerOverheadUs: 12 },
    { efficiency: { conv: 0.8, convLarge: 0.3, pointwise: 0.5, depthwise: 0.1, fc: 0.7 }, bandwidthEfficiency: 0.5, layerOverheadUs: 25 },
  ];
  const devices: { id: string; precision: Precision }[] = [
    { id: 'raspberry-pi-4', precision: 'fp32' },
    { id: 'jetson-nano-10w', precision: 'fp16' },
  ];
  let rows: FitRow[];
  let profiles: EnergyProfile[];

  beforeAll(async () => {
    profiles = await Promise.all(devices.map((d) => libraryProfile(d.id)));
    const models = new ModelCache();
    rows = devices.flatMap((d, device) =>
      zooNames.map((name) => {
        const model = models.get(name, 224)!;
        const { latencyModel: _fitted, ...plain } = profiles[device];
        const terms = latencyTerms(analyzeModel(model, plain, { precision: d.precision }), profiles[device], d.precision);
        return { group: name, device, terms, measuredS: predictSeconds(terms, truth[device]) };
      }),
    );
  });

  it('recovers the parameters that generated noiseless measurements', () => {
    const fitted = fitSpeeds(rows, profiles.map(kindPrior), { ridgePrior: 1e-8, ridgeDevice: 1e-8, ridgeOverhead: 1e-8, maxOverheadUs: 1000 });
    fitted.forEach((p, d) => {
      // A class is identifiable on a device when its compute-bound layers take a visible share of the time there.
      const share = new Map<string, number>();
      let total = 0;
      for (const r of rows.filter((x) => x.device === d)) {
        total += r.measuredS;
        r.terms.cls.forEach((c, i) => {
          const t = r.terms.compute[i] / truth[d].efficiency[layerClasses[c]];
          if (t > r.terms.memory[i] / truth[d].bandwidthEfficiency) share.set(layerClasses[c], (share.get(layerClasses[c]) ?? 0) + t);
        });
      }
      const seen = [...share].filter(([, t]) => t / total > 0.02).map(([c]) => c as (typeof layerClasses)[number]);
      expect(seen.length).toBeGreaterThanOrEqual(3);
      for (const c of seen) expect(Math.abs(p.efficiency[c] / truth[d].efficiency[c] - 1), `${devices[d].id} ${c}`).toBeLessThan(0.05);
      expect(Math.abs(p.layerOverheadUs / truth[d].layerOverheadUs - 1)).toBeLessThan(0.05);
    });
    for (const r of rows) expect(Math.abs(predictSeconds(r.terms, fitted[r.device]) / r.measuredS - 1)).toBeLessThan(0.03);
  });

  it('predicts each held-out network within a few per cent when the data follow the model', () => {
    const predicted = crossValidate(rows, profiles.map(kindPrior));
    const errors = rows.map((r, i) => Math.abs(predicted[i] / r.measuredS - 1)).sort((a, b) => a - b);
    expect(errors[Math.floor(errors.length / 2)]).toBeLessThan(0.03);
    expect(errors.at(-1)).toBeLessThan(0.25);
  }, 120_000);

  it('does not reach the held-out network: changing its measurements changes nothing predicted for it', () => {
    const altered = rows.map((r) => (r.group === 'vgg16' ? { ...r, measuredS: r.measuredS * 5 } : r));
    const a = crossValidate(rows, profiles.map(kindPrior));
    const b = crossValidate(altered, profiles.map(kindPrior));
    rows.forEach((r, i) => {
      if (r.group === 'vgg16') expect(b[i]).toBeCloseTo(a[i], 12);
    });
  }, 120_000);
});

describe('the published corpus', () => {
  it('parses, and gives every device with public data at least four fitted points', () => {
    const points = readCorpus(corpusFile);
    const fitted = (id: string) => points.filter((p) => p.device === id && p.use === 'fit').length;
    for (const id of ['raspberry-pi-4', 'jetson-nano-10w', 'jetson-xavier-nx', 'coral-dev-board']) expect(fitted(id), id).toBeGreaterThanOrEqual(6);
    expect(fitted('jetson-orin-nano')).toBeGreaterThanOrEqual(4);
    for (const p of points) expect(p.source.length, `line ${p.line}`).toBeGreaterThan(3);
  });

  it('names the file, line and cell of a bad row', () => {
    const header = 'device,model,input,precision,runtime,runtime_id,use,why,latency_ms,power_w,power_mode,source,where,date';
    expect(() => parseCorpus(`${header}\npi,resnet18,224,fp32,x,x,maybe,,10,,,s,w,d\n`, 'c.csv')).toThrow('c.csv line 2: use must be one of fit, other-runtime, approximate, no-model, got "maybe".');
    expect(() => parseCorpus(`${header}\npi,resnet18,224,fp32,x,x,fit,,-3,,,s,w,d\n`, 'c.csv')).toThrow('c.csv line 2: latency_ms must be a positive number, got "-3".');
    expect(() => parseCorpus('device,model\n', 'c.csv')).toThrow('c.csv: the header lacks the column "input".');
  });
});
