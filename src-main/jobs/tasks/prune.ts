/**
 * Job `prune.run`: a model compressed to an energy budget on a device type. Prices the model with
 * the energy model, prunes channels with the chosen criterion until the budget holds (refusing
 * an unreachable budget before any work), fine-tunes with labels and distillation from the
 * original (or by distillation alone on unlabeled images), measures test accuracy and
 * onnxruntime latency before and after, and writes the pruned ONNX file with its card. Nothing
 * is written until everything else has succeeded.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { PruneMetrics, PruneReport, PruneRequest } from '../../common/api/pruning';
import type { Precision } from '../../common/devices/profile';
import { batteryBudgetJ } from '../../common/pruning/budget';
import { JouleError } from '../../common/errors';
import { analyzeModel } from '../../core/energy/analyze';
import type { EnergyProfile } from '../../core/energy/device-kind';
import { defaultPrecision } from '../../core/energy/resolve-profile';
import { countModel } from '../../core/onnx/count';
import { hasControlFlow } from '../../core/onnx/control-flow';
import { withInputShapes } from '../../core/onnx/input-shapes';
import type { Model } from '../../core/onnx/ir';
import { measureLatencyMs } from '../../core/onnx/latency';
import { partOf, type Progress } from '../../core/progress';
import { layerWidths } from '../../core/prune/apply';
import { energyCost, type CostModel } from '../../core/prune/cost';
import { criterionPlan } from '../../core/prune/criteria';
import { PruningError } from '../../core/prune/errors';
import { checkBudget, pruneToBudget } from '../../core/prune/pruner';
import { batches } from '../../core/train/data/batches';
import { evaluateModel } from '../../core/train/evaluate';
import { cardBeside } from '../../core/zoo/small/card';
import type { JobContext } from '../context';
import { deviceLibrary, loadModelSpec, precisionFor, profileFor } from './inputs';
import { finetune, recipeFor, type PruneData, pruneData } from './prune-data';
import { writeVariant } from './prune-output';

export async function prune(request: PruneRequest, context: JobContext): Promise<PruneReport> {
  const started = Date.now();
  const out = path.resolve(request.out);
  const outDir = path.dirname(out);
  if (!existsSync(outDir) || !statSync(outDir).isDirectory()) throw new JouleError(`The output folder ${outDir} does not exist.`);
  const criterion = request.criterion ?? 'energy-taylor';
  const seed = request.seed ?? 1;
  const recipe = recipeFor(request);

  context.report(0, 'Reading the model and its data');
  const spec = 'zoo' in request.model ? `zoo:${request.model.zoo}` : path.resolve(request.model.baseDir, request.model.path);
  const loaded = loadModelSpec(spec, context.env, 'evaluate');
  // Dynamic input dimensions take the sizes given; the pruned file keeps them fixed.
  const original = { ...loaded, model: withInputShapes(loaded.model, request.model.inputShapes) };
  if (hasControlFlow(original.model)) throw new PruningError(`${path.basename(original.file ?? spec)} has If, Loop or Scan nodes; Joule prunes graphs without control flow.`);
  const profile = await profileFor(request.deviceId, context.env);
  const precision = precisionFor('auto', profile);
  const cost = energyCost(profile, precision);
  const originalEnergy = cost.of(original.model);
  const budgetJ = budgetInJoules(request.budget, originalEnergy, profile.idlePowerW.value);
  checkBudget(original.model, budgetJ, cost, { minChannels: request.round, round: request.round });
  const data = await pruneData(request, original.model, cardBeside(original.file), context.env, partOf(context, 0, 0.05));

  const plan = criterionPlan(criterion, {
    energy: cost,
    calibration: () => batches(data.calibration, { batchSize: 64, shuffle: false, normalize: data.normalize }),
    calibrate: { threads: recipe.threads, normalize: data.normalize, teacher: data.unlabeled ? original.model : undefined, progress: context },
    seed,
  });
  const steps: PruneReport['steps'] = [];
  const pruning = partOf(context, 0.05, recipe.between ? 0.5 : 0.25);
  const outcome = await pruneToBudget(original.model, {
    ...plan,
    budget: budgetJ,
    cost,
    round: request.round ?? 1,
    minChannels: request.round ?? 1,
    stepFraction: recipe.stepFraction,
    progress: pruning,
    between: recipe.between ? (model, step) => briefFinetune(model, original.model, data, recipe, step, seed, context) : undefined,
    onStep: (s) => {
      steps.push({ energyJ: s.cost });
      pruning.report(null, `Pruning step ${s.step}: ${(s.cost * 1e3).toPrecision(4)} mJ per inference`, { step: s.step, energyJ: s.cost, budgetJ });
    },
  });

  const tuned = recipe.epochs > 0
    ? await finetune(outcome.model, original.model, data, { ...recipe, seed }, partOf(context, recipe.between ? 0.5 : 0.25, 0.9), `Fine-tuning`)
    : outcome.model;

  context.report(0.9, 'Measuring accuracy and latency');
  const measure = (model: Model) => metrics(model, data, { cost, profile, precision, threads: recipe.threads }, context);
  const before = await measure(original.model);
  const after = await measure(tuned);
  const library = await deviceLibrary(context.env);
  const devices = library.ids().map((id) => {
    const p = library.get(id);
    const a = analyzeModel(tuned, p, { precision: defaultPrecision(p) }).totals;
    const o = analyzeModel(original.model, p, { precision: defaultPrecision(p) }).totals;
    return { id, energyJ: a.energyJ, latencyMs: a.latencyMs, originalEnergyJ: o.energyJ, originalLatencyMs: o.latencyMs };
  });
  const widthsBefore = layerWidths(original.model);
  const widthsAfter = layerWidths(tuned);
  context.checkpoint();
  const written = await writeVariant(out, tuned, {
    original,
    request: { ...request, criterion },
    data,
    recipe,
    seed,
    metrics: { before, after },
    device: { id: profile.id, precision },
    budgetJ,
    devices,
    started,
  });
  context.report(1, `Pruned to ${(after.energyJ * 1e3).toPrecision(4)} mJ${after.accuracy === null ? '' : `, ${(after.accuracy * 100).toFixed(2)}% accuracy`}`);
  return {
    original: before,
    pruned: after,
    budgetJ,
    met: after.energyJ <= budgetJ * (1 + 1e-9),
    criterion,
    device: { id: profile.id, name: profile.name, precision },
    groups: { pruned: [...widthsBefore].filter(([layer, w]) => (widthsAfter.get(layer) ?? w) < w).length, skipped: outcome.skipped },
    channels: [...widthsBefore].map(([layer, w]) => ({ layer, before: w, after: widthsAfter.get(layer) ?? w })),
    steps,
    devices,
    out,
    ...written,
    ms: Date.now() - started,
  };
}

function latencyAndMemory(totals: { latencyMs: number; weightBytes: number; peakActivationBytes: number }): { latencyMs: number; memoryBytes: number } {
  return { latencyMs: totals.latencyMs, memoryBytes: totals.weightBytes + totals.peakActivationBytes };
}

function budgetInJoules(budget: PruneRequest['budget'], originalEnergy: number, idleW: number): number {
  if ('fraction' in budget) return budget.fraction * originalEnergy;
  if ('joules' in budget) return budget.joules;
  const joules = batteryBudgetJ(budget.battery, idleW);
  if (!(joules > 0)) {
    const { wh, hours } = budget.battery;
    throw new PruningError(`A ${wh} Wh battery cannot last ${hours} h on this device: idling alone draws ${(idleW * hours).toPrecision(3)} Wh over that time.`);
  }
  return joules;
}

interface Target {
  cost: CostModel;
  profile: EnergyProfile;
  precision: Precision;
  threads: number;
}

/** Energy and latency on the target, accuracy on the test split, and onnxruntime latency on this machine. */
async function metrics(model: Model, data: PruneData, target: Target, context: JobContext): Promise<PruneMetrics> {
  const { macs, params } = countModel(model);
  const quiet = { report() {}, checkpoint: () => context.checkpoint() };
  const evaluation = data.test ? await evaluateModel(model, data.test, { normalize: data.normalize, threads: target.threads, progress: quiet }) : null;
  return {
    energyJ: target.cost.of(model),
    accuracy: evaluation?.accuracy ?? null,
    loss: evaluation?.loss ?? null,
    macs,
    params,
    ...latencyAndMemory(analyzeModel(model, target.profile, { precision: target.precision }).totals),
    measuredMs: await context.native(() => measureLatencyMs(model, { threads: 1, runs: 30 })),
  };
}

/** A few hundred steps of fine-tuning between pruning steps (thorough effort). */
async function briefFinetune(model: Model, teacher: Model, data: PruneData, recipe: ReturnType<typeof recipeFor>, step: number, seed: number, progress: Progress): Promise<Model> {
  return finetune(model, teacher, data, { ...recipe, epochs: 1, samples: recipe.betweenSamples, seed: seed + step }, { report() {}, checkpoint: () => progress.checkpoint() }, 'Recovering between steps');
}
