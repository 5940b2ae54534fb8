import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { commands, runCli } from '../../src-main/host/cli/main';

const sampleFile = path.resolve(import.meta.dirname, '../../resources/sample/sample.joule');

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(() => {
  process.env.JOULE_HOME = mkdtempSync(path.join(os.tmpdir(), 'joule-cli-'));
});

describe('joule CLI', () => {
  it('prints the per-file report of project check as JSON', async () => {
    const { code, out, err } = await cli('project', 'check', sampleFile, '--json');
    expect(err).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ project: sampleFile, ok: true });
    expect(Array.isArray(report.files)).toBe(true);
  });

  it('exits 1 and names the JSON path for a project with a bad field', async () => {
    const project = JSON.parse(readFileSync(sampleFile, 'utf8'));
    project.devices[3].ramMB = '4GB';
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'joule-bad-')), 'bad.joule');
    writeFileSync(file, JSON.stringify(project));
    const { code, err } = await cli('project', 'check', file, '--json');
    expect(code).toBe(1);
    expect(err).toBe('joule: bad.joule has 1 problem: devices[3].ramMB: expected a positive number, got "4GB".');
    const validate = await cli('project', 'validate', file, '--json');
    expect(validate.code).toBe(1);
    expect(JSON.parse(validate.out).problems).toEqual([{ path: 'devices[3].ramMB', message: 'expected a positive number, got "4GB"' }]);
  });

  it('exits 2 on bad usage with a pointer to --help', async () => {
    expect(await cli('project', 'check')).toMatchObject({ code: 2, err: "joule: Missing FILE. Run 'joule project check --help' for usage." });
    expect(await cli('project', 'check', 'a.joule', '--frobnicate')).toMatchObject({ code: 2 });
    expect(await cli('teleport')).toMatchObject({ code: 2, err: "joule: Unknown command \"teleport\". Run 'joule --help' for usage." });
    expect((await cli('serve', '--port', 'eighty')).err).toBe("joule: --port expects a number, got \"eighty\". Run 'joule serve --help' for usage.");
  });

  it('has --help on every command', async () => {
    for (const command of commands) {
      const { code, out } = await cli(...command.words, '--help');
      expect(code, command.words.join(' ')).toBe(0);
      expect(out).toContain(`Usage: joule ${command.words.join(' ')}`);
      expect(out).toContain('--json');
    }
  });

  it('lists and shows library devices, with sources', async () => {
    const list = JSON.parse((await cli('devices', 'list', '--json')).out);
    expect(list.map((d: { id: string }) => d.id).sort()).toEqual(
      ['coral-dev-board', 'intel-ncs2', 'jetson-nano-10w', 'jetson-nano-5w', 'jetson-orin-nano', 'jetson-xavier-nx', 'raspberry-pi-4'],
    );
    const show = await cli('devices', 'show', 'jetson-nano-10w');
    expect(show.out).toMatch(/memory bandwidth\s+25\.6 GB\/s/);
    expect(await cli('devices', 'show', 'jetson-tx2')).toMatchObject({ code: 1 });
  });
});
