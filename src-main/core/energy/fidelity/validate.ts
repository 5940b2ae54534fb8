/**
 * The device library against the published corpus: per device, every `fit` point predicted by a
 * fit that never saw its model (leave-one-model-out, the ridge weight chosen inside each fold),
 * the same points with the device kind's defaults, and the other points with the full fit.
 * `fitLibrary` is what writes the profiles' latency models (bench/devices/fit-devices.ts).
 */
import type { DeviceProfile, LatencyModel } from '../../../common/devices/profile';
import { errorSummary, type DeviceValidation, type ValidationPoint, type ValidationReport } from '../../../common/energy/validation';
import type { Model } from '../../onnx/ir';
import { zoo, isZooName } from '../../zoo/registry';
import { analyzeModel } from '../analyze';
import type { EnergyProfile } from '../device-kind';
import type { PublishedPoint } from './corpus';
import { crossValidate, fitWithChosenRidge, type FitOptions, type FitRow } from './fit';
import { kindPrior, profileSpeed } from './speed';
import { latencyTerms, predictSeconds, type LatencyTerms, type SpeedParams } from './terms';

/** Builds zoo networks at the corpus's input sizes once each. */
export class ModelCache {
  private readonly models = new Map<string, Model>();
  get(name: string, size: number): Model | null {
    if (!isZooName(name)) return null;
    const key = `${name}@${size}`;
    let model = this.models.get(key);
    if (!model) this.models.set(key, (model = zoo[name].build({ size, batch: 1 })));
    return model;
  }
}

/** The latency terms of a point on a profile (the speed parameters do not enter them). */
export function pointTerms(point: PublishedPoint, profile: EnergyProfile, models: ModelCache): LatencyTerms | null {
  const model = models.get(point.model, point.input);
  if (!model || !profile.precisions.includes(point.precision)) return null;
  const { latencyModel: _speed, ...plain } = profile;
  return latencyTerms(analyzeModel(model, plain, { precision: point.precision }), profile, point.precision);
}

/** The `fit` points of the profiles, as rows of one joint fit (device = index in `profiles`). */
export function fitRows(profiles: readonly EnergyProfile[], points: readonly PublishedPoint[], models: ModelCache): { rows: FitRow[]; sources: PublishedPoint[] } {
  const rows: FitRow[] = [];
  const sources: PublishedPoint[] = [];
  profiles.forEach((profile, device) => {
    for (const p of points) {
      if (p.device !== profile.id || p.use !== 'fit') continue;
      const terms = pointTerms(p, profile, models);
      if (!terms) continue;
      rows.push({ group: p.model, device, terms, measuredS: p.latencyMs / 1e3 });
      sources.push(p);
    }
  });
  return { rows, sources };
}

export interface LibraryFit {
  /** Per profile (same order), or null for a profile without `fit` points. */
  params: (SpeedParams | null)[];
  options: FitOptions;
  /** Fitted points per profile. */
  counts: number[];
}

/** One joint fit of every profile's speed to the corpus (what bench/devices/fit-devices.ts writes into the library). */
export function fitLibrary(profiles: readonly EnergyProfile[], points: readonly PublishedPoint[], models = new ModelCache()): LibraryFit {
  const { rows } = fitRows(profiles, points, models);
  const { params, options } = fitWithChosenRidge(rows, profiles.map(kindPrior));
  const counts = profiles.map((_, d) => rows.filter((r) => r.device === d).length);
  return { params: params.map((p, d) => (counts[d] ? p : null)), options, counts };
}

const ms = (s: number) => s * 1e3;

/** Every device against the corpus: `fit` points cross-validated jointly, the rest predicted by each profile as it is. */
export function validateLibrary(profiles: readonly DeviceProfile[], points: readonly PublishedPoint[], corpus: string, onProgress?: (fraction: number) => void): ValidationReport {
  const models = new ModelCache();
  const { rows, sources } = fitRows(profiles, points, models);
  const honest = rows.length ? crossValidate(rows, profiles.map(kindPrior), onProgress) : [];
  const honestByLine = new Map(sources.map((p, i) => [p.line, honest[i]]));
  const devices = profiles.map((profile): DeviceValidation => {
    const prior = kindPrior(profile);
    const own = profileSpeed(profile);
    const mine = points.filter((p) => p.device === profile.id);
    const result: ValidationPoint[] = mine.map((p) => {
      const t = p.use === 'no-model' ? null : pointTerms(p, profile, models);
      const cv = honestByLine.get(p.line);
      return {
        model: p.model,
        input: p.input,
        precision: p.precision,
        runtime: p.runtime,
        use: p.use,
        why: p.why,
        source: p.source,
        measuredMs: p.latencyMs,
        predictedMs: t ? ms(cv ?? predictSeconds(t, own)) : null,
        uncalibratedMs: t ? ms(predictSeconds(t, prior)) : null,
        line: p.line,
      };
    });
    const scored = result.filter((p) => p.use === 'fit' && p.predictedMs !== null);
    const { runtime = null, ...fittedModel } = profile.latencyModel ?? {};
    return {
      deviceId: profile.id,
      name: profile.name,
      runtime,
      fitted: profile.latencyModel ? (fittedModel as Omit<LatencyModel, 'runtime'>) : null,
      crossValidated: errorSummary(scored.map((p) => ({ predicted: p.predictedMs!, measured: p.measuredMs }))),
      uncalibrated: errorSummary(scored.map((p) => ({ predicted: p.uncalibratedMs!, measured: p.measuredMs }))),
      points: result,
      note: deviceNote(profile, mine),
    };
  });
  const scored = devices.flatMap((d) => d.points.filter((p) => p.use === 'fit' && p.predictedMs !== null));
  return {
    corpus,
    devices,
    overall: errorSummary(scored.map((p) => ({ predicted: p.predictedMs!, measured: p.measuredMs }))),
    overallUncalibrated: errorSummary(scored.map((p) => ({ predicted: p.uncalibratedMs!, measured: p.measuredMs }))),
  };
}

function deviceNote(profile: EnergyProfile, mine: readonly PublishedPoint[]): string | null {
  if (!mine.length) return 'No published batch-1 measurement was found for this device; its latency model is unvalidated.';
  if (!mine.some((p) => p.use === 'fit')) return 'Published measurements exist only for networks Joule does not build or for other runtimes; nothing is cross-validated.';
  return null;
}
