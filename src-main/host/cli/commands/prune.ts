/** `joule prune MODEL` and `joule options MODEL`: energy-constrained pruning with fine-tuning, and sweeps of compression options. */
import path from 'node:path';
import { pruneCriteria, pruneEfforts, type PruneCriterion, type PruneRecipe, type PruneReport } from '../../../common/api/pruning';
import { choiceOption, type CliContext, type Command, numberOption, type OptionSpec, type ParsedArgs, requiredOption, stringOption, threadsOption, UsageError } from '../command';
import { INPUT_SHAPE_OPTION, MODEL_ARGUMENT, modelArgument, numberListOption } from '../inputs';
import { awaitJob } from '../jobs';
import { REDIS_OPTION } from '../queue-option';
import { textTable } from '../table';

const recipeOptions: Record<string, OptionSpec> = {
  criterion: { type: 'string', placeholder: 'C', description: `How channels are ranked (default energy-taylor): ${pruneCriteria.join(', ')}.` },
  dataset: { type: 'string', placeholder: 'D', description: 'Labelled images: fashion-mnist, mnist, or a folder with one subfolder per class (fine-tuning, calibration, test accuracy).' },
  unlabeled: { type: 'string', placeholder: 'DIR', description: 'Images without labels (a folder, or fashion-mnist / mnist without their labels): fine-tune by distillation from the original.' },
  effort: { type: 'string', placeholder: 'E', description: 'quick (default: one fine-tuning epoch) or thorough (short fine-tunes between steps, three epochs).' },
  'finetune-epochs': { type: 'string', placeholder: 'N', description: "Fine-tuning epochs (default: the effort's; 0 skips fine-tuning)." },
  'finetune-samples': { type: 'string', placeholder: 'N', description: 'Fine-tune on at most N training images per epoch.' },
  round: { type: 'string', placeholder: 'N', description: 'Keep channel counts at multiples of N (4, 8, 16: what accelerators run fastest).' },
  mean: { type: 'string', placeholder: 'M', description: "Per-channel input mean (default: the model card's)." },
  std: { type: 'string', placeholder: 'S', description: "Per-channel input standard deviation (default: the model card's)." },
  seed: { type: 'string', placeholder: 'S', description: 'Seed of calibration, fine-tuning and random choices (default 1).' },
  threads: { type: 'string', placeholder: 'N', description: 'onnxruntime threads for fine-tuning (default 2).' },
  redis: REDIS_OPTION,
};

function criterionList(args: ParsedArgs): PruneCriterion[] {
  const raw = stringOption(args, 'criterion');
  if (raw === undefined) return ['energy-taylor'];
  const list = raw.split(',').map((c) => c.trim());
  for (const c of list) if (!(pruneCriteria as readonly string[]).includes(c)) throw new UsageError(`--criterion expects ${pruneCriteria.join(', ')}, got "${c}".`);
  return list as PruneCriterion[];
}

function recipe(args: ParsedArgs): PruneRecipe {
  const dataset = stringOption(args, 'dataset');
  const unlabeled = stringOption(args, 'unlabeled');
  if (dataset === undefined && unlabeled === undefined) throw new UsageError('Give --dataset (labelled images) or --unlabeled DIR.');
  const packaged = (name: string) => name === 'fashion-mnist' || name === 'mnist';
  return {
    model: modelArgument(args),
    ...(dataset === undefined ? {} : { dataset: packaged(dataset) ? (dataset as 'fashion-mnist' | 'mnist') : { folder: path.resolve(dataset) } }),
    ...(unlabeled === undefined ? {} : { unlabeled: packaged(unlabeled) ? (unlabeled as 'fashion-mnist' | 'mnist') : { folder: path.resolve(unlabeled) } }),
    effort: choiceOption(args, 'effort', pruneEfforts, 'quick'),
    finetuneEpochs: numberOption(args, 'finetune-epochs', { min: 0, integer: true }),
    finetuneSamples: numberOption(args, 'finetune-samples', { min: 1, integer: true }),
    round: numberOption(args, 'round', { min: 1, integer: true }),
    mean: numberListOption(args, 'mean'),
    std: numberListOption(args, 'std', { positive: true }),
    seed: numberOption(args, 'seed', { integer: true }),
    threads: threadsOption(args),
  };
}

const progressMetrics = (m: Record<string, number>) =>
  m.energyJ !== undefined ? `${(m.energyJ * 1e3).toPrecision(4)} mJ (budget ${(m.budgetJ * 1e3).toPrecision(4)})` : m.loss !== undefined ? `loss ${m.loss.toFixed(4)} acc ${((m.accuracy ?? 0) * 100).toFixed(1)}%` : '';

const percent = (a: number | null) => (a === null ? '-' : `${(a * 100).toFixed(2)}%`);

function printReport(context: CliContext, r: PruneReport): void {
  context.out(`${r.criterion} on ${r.device.name} (${r.device.precision}): budget ${(r.budgetJ * 1e3).toPrecision(4)} mJ, ${r.met ? 'met' : 'NOT met'}.`);
  context.out(
    textTable(
      ['', 'energy mJ', 'accuracy', 'MMACs', 'k params', 'memory MB', 'predicted ms', 'measured ms here'],
      [
        ['original', r.original.energyJ * 1e3, percent(r.original.accuracy), r.original.macs / 1e6, r.original.params / 1e3, r.original.memoryBytes / 1e6, r.original.latencyMs, r.original.measuredMs],
        ['pruned', r.pruned.energyJ * 1e3, percent(r.pruned.accuracy), r.pruned.macs / 1e6, r.pruned.params / 1e3, r.pruned.memoryBytes / 1e6, r.pruned.latencyMs, r.pruned.measuredMs],
      ],
    ),
  );
  context.out(`Speed-up: predicted ${(r.original.latencyMs / r.pruned.latencyMs).toFixed(2)}x on the device, measured ${(r.original.measuredMs / r.pruned.measuredMs).toFixed(2)}x with onnxruntime here.`);
  context.out(`Channels: ${r.channels.map((c) => `${c.layer} ${c.before}->${c.after}`).join(', ')}`);
  for (const s of r.groups.skipped) context.out(`  kept ${s.node}: ${s.reason}`);
  context.out(`Wrote ${r.out} and its card ${r.card}.`);
}

const prune: Command = {
  words: ['prune'],
  summary: "Prune a model's channels until it meets an energy budget on a device, fine-tune it, and write it with its card.",
  positionals: [MODEL_ARGUMENT],
  options: {
    'input-shape': INPUT_SHAPE_OPTION,
    device: { type: 'string', placeholder: 'ID', description: 'The device type the budget is for (library id or profile .json).' },
    budget: { type: 'string', placeholder: 'F', description: 'Budget as a fraction of the original energy on the device, e.g. 0.3.' },
    'budget-j': { type: 'string', placeholder: 'J', description: 'Budget in joules per inference, e.g. 0.0008.' },
    battery: { type: 'string', placeholder: 'WH,RATE,HOURS', description: 'Budget from a battery: capacity in Wh, inferences per second, hours it must last (idle power counted).' },
    ...recipeOptions,
    out: { type: 'string', placeholder: 'OUT.onnx', description: 'Where to write the pruned model (its card goes beside it).' },
  },
  async run(args, context) {
    const fraction = numberOption(args, 'budget', { min: 0 });
    const joules = numberOption(args, 'budget-j', { min: 0 });
    const battery = numberListOption(args, 'battery', { positive: true });
    if ([fraction, joules, battery].filter((b) => b !== undefined).length !== 1) throw new UsageError('Give exactly one of --budget FRACTION, --budget-j J and --battery WH,RATE,HOURS.');
    if (battery && battery.length !== 3) throw new UsageError(`--battery expects WH,RATE,HOURS, got ${battery.length} numbers.`);
    if (fraction !== undefined && !(fraction > 0 && fraction < 1)) throw new UsageError(`--budget is a fraction of the original energy between 0 and 1, got ${fraction}.`);
    const [criterion, ...more] = criterionList(args);
    if (more.length) throw new UsageError('joule prune takes one --criterion; joule options compares several.');
    const device = requiredOption(args, 'device', 'ID');
    const request = {
      ...recipe(args),
      criterion,
      deviceId: device.endsWith('.json') ? path.resolve(device) : device,
      budget: fraction !== undefined ? { fraction } : joules !== undefined ? { joules } : { battery: { wh: battery![0], ratePerS: battery![1], hours: battery![2] } },
      out: path.resolve(requiredOption(args, 'out', 'OUT.onnx')),
    };
    const { pruning } = (await context.runtime()).services;
    const report = await awaitJob<PruneReport>(context, pruning.start(request), { progress: !args.json, metricsText: progressMetrics });
    if (args.json) context.out(JSON.stringify(report, null, 2));
    else printReport(context, report);
    return report.met ? 0 : 1;
  },
};

/** One row of the options table; an option that failed has only its coordinates and the error. */
interface OptionRow {
  device: string;
  budget: number;
  criterion: PruneCriterion;
  met: boolean;
  budgetJ?: number;
  energyJ?: number;
  originalEnergyJ?: number;
  accuracy?: number | null;
  originalAccuracy?: number | null;
  latencyMs?: number;
  measuredMs?: number;
  originalMeasuredMs?: number;
  macs?: number;
  params?: number;
  memoryBytes?: number;
  file?: string;
  error?: string;
}

const options: Command = {
  words: ['options'],
  summary: 'Compression options: prune a model for every device type at every budget (and criterion), and compare accuracy, energy, latency and size.',
  positionals: [MODEL_ARGUMENT],
  options: {
    'input-shape': INPUT_SHAPE_OPTION,
    devices: { type: 'string', placeholder: 'ID,ID', description: 'Device types to prune for.' },
    budgets: { type: 'string', placeholder: 'F,F', description: 'Fractions of the original energy, e.g. 0.8,0.6,0.4.' },
    ...recipeOptions,
    criterion: { type: 'string', placeholder: 'C,C', description: `Criteria to compare (default energy-taylor): ${pruneCriteria.join(', ')}.` },
    'out-dir': { type: 'string', placeholder: 'DIR', description: 'Folder for the pruned models and their cards (default: the current folder).' },
  },
  async run(args, context) {
    const devices = requiredOption(args, 'devices', 'ID,ID').split(',').map((d) => d.trim()).filter(Boolean);
    const budgets = numberListOption(args, 'budgets');
    if (!budgets?.length) throw new UsageError('Missing --budgets F,F.');
    for (const b of budgets) if (!(b > 0 && b < 1)) throw new UsageError(`--budgets are fractions of the original energy between 0 and 1, got ${b}.`);
    const request = {
      ...recipe(args),
      deviceIds: devices.map((d) => (d.endsWith('.json') ? path.resolve(d) : d)),
      budgets,
      criteria: criterionList(args),
      outDir: path.resolve(stringOption(args, 'out-dir') ?? '.'),
    };
    const { pruning } = (await context.runtime()).services;
    const started = await pruning.startOptions(request);
    const rows: OptionRow[] = [];
    for (const [i, option] of started.entries()) {
      if (!args.json) context.err(`Option ${i + 1} of ${started.length}: ${option.criterion} at ${Math.round(option.budget * 100)}% on ${option.deviceId}`);
      try {
        const r = await awaitJob<PruneReport>(context, option.jobId, { progress: !args.json, metricsText: progressMetrics });
        rows.push({
          device: r.device.id,
          budget: option.budget,
          criterion: r.criterion,
          budgetJ: r.budgetJ,
          met: r.met,
          energyJ: r.pruned.energyJ,
          originalEnergyJ: r.original.energyJ,
          accuracy: r.pruned.accuracy,
          originalAccuracy: r.original.accuracy,
          latencyMs: r.pruned.latencyMs,
          measuredMs: r.pruned.measuredMs,
          originalMeasuredMs: r.original.measuredMs,
          macs: r.pruned.macs,
          params: r.pruned.params,
          memoryBytes: r.pruned.memoryBytes,
          file: r.out,
        });
      } catch (error) {
        // One option out of reach (a budget below the device's floor) does not sink the sweep.
        rows.push({ device: option.deviceId, budget: option.budget, criterion: option.criterion, met: false, error: (error as Error).message });
      }
    }
    if (args.json) {
      context.out(JSON.stringify(rows, null, 2));
      return rows.every((r) => r.met) ? 0 : 1;
    }
    const done = rows.filter((r): r is Required<Omit<OptionRow, 'error'>> => r.error === undefined);
    context.out(
      textTable(
        ['device', 'budget', 'criterion', 'energy mJ', 'accuracy', 'MMACs', 'k params', 'measured ms'],
        done.map((r) => [r.device, `${Math.round(r.budget * 100)}%`, r.criterion, r.energyJ * 1e3, percent(r.accuracy), r.macs / 1e6, r.params / 1e3, r.measuredMs]),
      ),
    );
    for (const r of rows) if (r.error) context.err(`${r.device} at ${Math.round(r.budget * 100)}% (${r.criterion}): ${r.error}`);
    return rows.every((r) => r.met) ? 0 : 1;
  },
};

export const pruneCommands = [prune, options];
