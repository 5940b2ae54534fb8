/** `joule plan`, `joule export` and `joule verify` on a copy of the sample project: exit codes, sentences, what lands on disk. */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli';

const sampleDir = path.resolve(import.meta.dirname, '../../resources/sample');

let dir: string;
let project: string;
beforeAll(() => {
  process.env.JOULE_HOME = mkdtempSync(path.join(os.tmpdir(), 'joule-cli-plan-'));
  dir = mkdtempSync(path.join(os.tmpdir(), 'joule-cli-plan-project-'));
  cpSync(sampleDir, dir, { recursive: true });
  project = path.join(dir, 'sample.joule');
});

describe('joule plan, export and verify', () => {
  it('refuses to export a project without an accepted placement, in one sentence', async () => {
    const r = await cli('export', project, '--out', path.join(dir, 'never'));
    expect(r.code).toBe(1);
    expect(r.sentence).toMatch(/^joule: The project has no accepted placement to export: .*joule plan PROJECT --accept\.$/);
    expect(existsSync(path.join(dir, 'never'))).toBe(false);
    expect((await cli('export', project)).code).toBe(2);
  });

  it('plans, accepts into the project file, exports and verifies; a tampered bundle fails and is named', async () => {
    const planned = await cli('plan', project, '--time-limit', '0.5', '--accept', '--json');
    expect(planned.err).toBe('');
    expect(planned.code).toBe(0);
    const report = JSON.parse(planned.out);
    expect(report.joint.feasible).toBe(true);
    expect(report).toHaveProperty('savingVsOriginalsJ');
    expect(report).not.toHaveProperty('problem');
    const saved = JSON.parse(readFileSync(project, 'utf8'));
    expect(saved.placement.result).toMatchObject({ algorithm: 'aco', feasible: true, assignment: report.joint.assignment });

    const bundle = path.join(dir, 'bundle');
    const exported = await cli('export', project, '--out', bundle, '--k8s');
    expect(exported.code).toBe(0);
    expect(exported.out).toMatch(/^Wrote \d+ files for (one node|\d+ nodes) to .*; open .*report\.html for the map\.$/);
    expect(existsSync(path.join(bundle, 'k8s'))).toBe(true);

    const verified = await cli('verify', bundle, '--runs', '1', '--json');
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.out)).toMatchObject({ ok: true, problems: [] });

    writeFileSync(path.join(bundle, 'report.html'), 'edited');
    const tampered = await cli('verify', bundle, '--runs', '1');
    expect(tampered.code).toBe(1);
    expect(tampered.out).toContain('FAILED');
    expect(tampered.out).toContain('CHANGED report.html');

    const again = await cli('export', project, '--out', bundle);
    expect(again.code).toBe(1);
    expect(again.sentence).toMatch(/is not empty; choose a new or an empty folder\.$/);
    expect(readFileSync(path.join(bundle, 'report.html'), 'utf8')).toBe('edited');
  }, 120_000);

  it('says so when the folder to verify is not a bundle', async () => {
    const r = await cli('verify', dir);
    expect(r.code).toBe(1);
    expect(r.sentence).toBe(`joule: ${dir} is not a Joule bundle: it has no SHA256SUMS.`);
  });
});
