/**
 * Energy analyses and partitions as requests (plain JSON, so they run as worker jobs for the
 * window): the model from a project file or the zoo, devices by id.
 */
import path from 'node:path';
import type { AnalysisRequest, EnergyReport, PartitionReport, PartitionRequest } from '../../common/api/energy';
import type { ModelSource } from '../../common/api/models';
import type { Precision } from '../../common/devices/profile';
import type { Model } from '../onnx/ir';
import { readOnnxFile } from '../onnx/read';
import { resolveProfile } from './resolve-profile';
import type { Progress } from '../progress';
import { resolveModel } from '../zoo/resolve';
import { analyzeModel, type EnergyAnalysis } from './analyze';
import { DeviceLibrary } from './device-library';
import type { EnergyProfile } from './device-kind';
import { partitionModel } from './partition';
import { resolveModelPath } from '../project/paths';

export interface EnergyEnvironment {
  resourcesDir: string;
  dataDir: string;
}

const libraries = new Map<string, Promise<DeviceLibrary>>();

function library(env: EnergyEnvironment): Promise<DeviceLibrary> {
  const dir = path.join(env.resourcesDir, 'devices');
  let lib = libraries.get(dir);
  if (!lib) {
    lib = DeviceLibrary.load(dir);
    libraries.set(dir, lib);
  }
  return lib;
}

export function loadSourceModel(source: ModelSource, env: EnergyEnvironment): { model: Model; name: string } {
  if ('zoo' in source) {
    const { model, name } = resolveModel(`zoo:${source.zoo}`, { purpose: 'analyze', modelsDir: path.join(env.resourcesDir, 'models') });
    return { model, name };
  }
  const file = resolveModelPath(source.baseDir, source.path);
  return { model: readOnnxFile(file, { weights: 'skip' }), name: path.basename(file, path.extname(file)) };
}

/** The device's fastest float precision, or its only one. */
export function autoPrecision(profile: EnergyProfile): Precision {
  return profile.precisions.includes('fp16') ? 'fp16' : profile.precisions.includes('fp32') ? 'fp32' : profile.precisions[0];
}

export function toReport(a: EnergyAnalysis): EnergyReport {
  return {
    model: a.model,
    device: { id: a.device.id, name: a.device.name },
    precision: a.precision,
    batch: a.batch,
    units: a.units,
    totals: {
      energyJ: a.totals.energyJ,
      computeJ: a.totals.computeJ,
      dramJ: a.totals.dramJ,
      bufferJ: a.totals.bufferJ,
      rfJ: a.totals.rfJ,
      staticJ: a.totals.staticJ,
      latencyMs: a.totals.latencyMs,
      weightBytes: a.totals.weightBytes,
      peakActivationBytes: a.totals.peakActivationBytes,
      peakActivationLayer: a.totals.peakActivationLayer,
      ramBytes: a.totals.ramBytes,
      fits: a.totals.fits,
    },
    layers: a.layers.map((l) => ({
      name: l.name,
      op: l.op,
      macs: l.macs,
      params: l.params,
      energyJ: l.energyJ,
      computeJ: l.computeJ,
      dramJ: l.dramJ,
      bufferJ: l.bufferJ,
      rfJ: l.rfJ,
      staticJ: l.staticJ,
      latencyMs: l.latencyMs,
      dramBytes: l.dramBytes,
      bound: l.bound,
      ...(l.fusedInto ? { fusedInto: l.fusedInto } : {}),
    })),
    warnings: a.warnings,
  };
}

export async function runAnalysis(request: AnalysisRequest, env: EnergyEnvironment, progress: Progress): Promise<EnergyReport[]> {
  const { model, name } = loadSourceModel(request.model, env);
  const lib = await library(env);
  const reports: EnergyReport[] = [];
  for (const [i, id] of request.deviceIds.entries()) {
    progress.checkpoint();
    progress.report(i / request.deviceIds.length, `Analysing ${name} on ${id}`);
    const profile = await resolveProfile(id, { library: lib, dataDir: env.dataDir });
    const precision = request.precision === 'auto' ? autoPrecision(profile) : request.precision;
    reports.push(toReport(analyzeModel(model, profile, { precision, name })));
  }
  progress.report(1, `Analysed ${name} on ${request.deviceIds.length} device${request.deviceIds.length === 1 ? '' : 's'}`);
  return reports;
}

export async function runPartition(request: PartitionRequest, env: EnergyEnvironment, progress: Progress): Promise<PartitionReport> {
  const { model, name } = loadSourceModel(request.model, env);
  const profile = await resolveProfile(request.deviceId, { library: await library(env), dataDir: env.dataDir });
  progress.report(0.2, `Partitioning ${name} on ${profile.name}`);
  const analysis = analyzeModel(model, profile, { precision: autoPrecision(profile), name });
  const result = partitionModel(model, analysis, {
    deviceProfile: profile,
    uplinkMbps: request.uplinkMbps,
    radio: request.radio,
    rttMs: request.rttMs,
    sloMs: request.sloMs ?? undefined,
  });
  // The window has no use for the names of the tensors crossing each cut; leave them out of the message.
  return { best: result.best, cuts: result.cuts.map(({ tensors: _tensors, ...cut }) => cut) };
}
