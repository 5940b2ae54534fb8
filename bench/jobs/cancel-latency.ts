/**
 * Cancel latency of a running MIP in the job pool: starts a MIP job, alternately on a hard
 * OR-Library instance (gapd, HiGHS cannot finish it within minutes) and on a large generated
 * fleet, cancels it after a few seconds and measures how long the job takes to settle, and how
 * long a short job (a project check) asked for while the MIP runs takes. Prints the machine line
 * and table of docs/bench-jobs.md (`--out FILE` writes them to FILE).
 *
 *   node --import tsx bench/jobs/cancel-latency.ts [--trials 4] [--after 5] [--fleet 1000x10000] [--out FILE]
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JouleJobs } from '../../src-main/jobs/catalog';
import { cancelByTermination, hangTimeoutFor, jobLane } from '../../src-main/jobs/catalog';
import { JobPool } from '../../src-main/jobs/pool';
import { DeviceLibrary } from '../../src-main/core/energy/device-library';
import { generateFleet } from '../../src-main/core/schedule/fleet';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const trials = Number(option('--trials', '3'));
const afterS = Number(option('--after', '3'));
const out = option('--out', '');
const gapDir = path.join(root, 'tests/fixtures/gap');
const fleetSize = option('--fleet', '200x2000').split('x').map(Number);
const gapFile = path.join(gapDir, 'gapd.txt');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const env = { resourcesDir: path.join(root, 'resources'), dataDir: path.join(os.tmpdir(), 'joule-bench-jobs'), datasetCacheDir: path.join(os.tmpdir(), 'joule-bench-jobs') };
// As services/index.ts builds it.
const pool = new JobPool<JouleJobs>({ env, hangTimeoutFor, laneOf: jobLane, cancelByTermination });

interface Trial {
  instance: string;
  cancelMs: number;
  state: string;
  shortWaitMs: number;
}
const rows: Trial[] = [];
let fleetCache: ReturnType<typeof generateFleet> | null = null;
async function fleetProblem() {
  fleetCache ??= generateFleet(await DeviceLibrary.load(path.join(root, 'resources/devices')), { nodes: fleetSize[0], workloads: fleetSize[1], seed: 1, locality: true });
  return fleetCache;
}
try {
  for (let t = 0; t < trials; t++) {
    // Alternate a hard GAP instance (HiGHS in branch and bound) and a large generated fleet (HiGHS
    // in presolve and the root LP, where its interrupt callback is not called).
    const fleet = t % 2 === 1;
    const instance = fleet ? `fleet ${fleetSize[0]} nodes x ${fleetSize[1]} workloads` : `gapd #${6 - (t % 3)}`;
    const mip = fleet
      ? pool.start('placement.run', { problem: await fleetProblem(), algo: 'mip', settings: { timeLimitS: 600 } })
      : pool.start('placement.gap', { file: gapFile, instance: 6 - (t % 3), algo: 'mip', timeLimitS: 600 });
    while (pool.get(mip.id).state === 'queued') await sleep(20);
    await sleep(1000);
    // A short job (a project check) asked for while the MIP runs: it must not wait for the MIP.
    const shortAt = performance.now();
    const short = pool.start('project.check', { models: [], baseDir: root });
    const shortDone = short.done.then(() => performance.now() - shortAt);
    await sleep(afterS * 1000 - 1000);
    const cancelAt = performance.now();
    pool.cancel(mip.id);
    await mip.done.catch(() => {});
    const cancelMs = performance.now() - cancelAt;
    const shortWaitMs = await shortDone;
    rows.push({ instance, cancelMs, state: pool.get(mip.id).state, shortWaitMs });
    console.log(`${instance}: cancelled after ${(cancelMs / 1000).toFixed(2)} s (${pool.get(mip.id).state}); short job asked for during the MIP took ${(shortWaitMs / 1000).toFixed(2)} s`);
  }
} finally {
  await pool.close();
}

const machine = os.cpus()[0].model;
const load = os.loadavg().map((v) => v.toFixed(2)).join(' ');
const report = [
  '| instance | cancel → settled (s) | state | short job during the MIP (s) |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.instance} | ${(r.cancelMs / 1000).toFixed(2)} | ${r.state} | ${(r.shortWaitMs / 1000).toFixed(2)} |`),
].join('\n');
const header = `Machine: ${machine}, ${os.availableParallelism()} cores; ${new Date().toISOString()}; load average ${load}; Node ${process.version}.`;
console.log(`\n${header}\n\n${report}`);
if (out) writeFileSync(path.resolve(root, out), `${header}\n\n${report}\n`);
