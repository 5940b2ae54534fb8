/**
 * A longer fuzz run than CI's: `node --import tsx scripts/fuzz.ts --target onnx --cases 20000 --seed 7`
 * (`--target all` runs every target). Prints the statistics and each failure group, and with
 * `--save` writes the smallest input of each group to tests/fuzz/corpus/<target>/ as a
 * regression case. Exits 1 when a case failed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fuzzTargets } from '../tests/fuzz/targets';
import { corpusRoot, describeFailures, fuzz } from '../tests/fuzz/runner';

const { values } = parseArgs({
  options: {
    target: { type: 'string', default: 'all' },
    cases: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
    save: { type: 'boolean', default: false },
  },
});
const names = values.target === 'all' ? Object.keys(fuzzTargets) : values.target.split(',');
let failed = false;
for (const name of names) {
  const target = fuzzTargets[name];
  if (!target) {
    console.error(`No fuzz target '${name}'; the targets are ${Object.keys(fuzzTargets).join(', ')}.`);
    process.exit(2);
  }
  const stats = await fuzz(target, { cases: Number(values.cases), seed: Number(values.seed) });
  console.log(
    `${name}: ${stats.cases} cases from ${stats.seeds} seeds (seed ${stats.seed}) in ${(stats.ms / 1000).toFixed(1)} s; ` +
      `${stats.results} results, ${stats.typedErrors} typed errors, ${stats.failures.length} failure groups; slowest case ${Math.round(stats.slowestMs)} ms, heap growth ${Math.round(stats.peakGrowthMB)} MB`,
  );
  console.log(`  typed errors: ${JSON.stringify(stats.errorNames)}`);
  for (const [why, count] of Object.entries(stats.known)) console.log(`  known, reported failure (${count} cases): ${why}`);
  if (stats.failures.length) {
    failed = true;
    console.log(describeFailures(stats).replace(/^/gm, '  '));
    if (values.save) {
      const dir = path.join(corpusRoot, name);
      mkdirSync(dir, { recursive: true });
      for (const f of stats.failures) {
        if (f.caseIndex < 0) continue;
        writeFileSync(path.join(dir, `s${stats.seed}-c${f.caseIndex}.${target.extension}`), f.input);
      }
    }
  }
}
process.exit(failed ? 1 : 0);
