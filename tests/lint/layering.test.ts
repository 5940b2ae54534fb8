/** The layering rules of `npm run lint` fire on fixtures that break them, and pass on the tree. */
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { findBarrels, findCycles, importGraph, importProblems } from '../../scripts/import-graph';

const root = path.resolve(import.meta.dirname, '../..');

async function lintAs(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering', () => {
  it('refuses a CLI command that imports core, and a browser-host file that imports a job task', async () => {
    const cli = await lintAs('src-main/host/cli/commands/fixture.ts', "import { analyzeModel } from '../../../core/energy/analyze';\nexport const f = analyzeModel;\n");
    expect(cli).toHaveLength(1);
    expect(cli[0]).toMatch(/reaches Joule only through the services/);
    expect(await lintAs('src-main/host/browser/fixture.ts', "import { train } from '../../jobs/tasks/train';\nexport const f = train;\n")).toHaveLength(1);
    expect(await lintAs('src-main/host/cli/commands/fixture.ts', "import type { EnergyReport } from '../../../common/energy/reports';\nexport type R = EnergyReport;\n")).toEqual([]);
  });

  it('refuses core importing the API contract, and the window importing core', async () => {
    expect(await lintAs('src-main/core/energy/fixture.ts', "import type { AnalysisRequest } from '../../common/api/energy';\nexport type R = AnalysisRequest;\n")).toHaveLength(1);
    expect(await lintAs('src-main/core/energy/fixture.ts', "import type { JouleApi } from '../../common/api';\nexport type R = JouleApi;\n")).toHaveLength(1);
    expect(await lintAs('src-renderer/views/fixture.ts', "import { zoo } from '../../src-main/core/zoo/registry';\nexport const z = zoo;\n")).toHaveLength(1);
  });

  it('finds an import cycle closed by a type-only and a dynamic import', () => {
    const dir = path.join(root, 'tests/fixtures/import-cycle');
    const cycles = findCycles(importGraph([dir]));
    expect(cycles).toHaveLength(1);
    expect(cycles[0].map((f) => path.basename(f))).toEqual(['first.ts', 'second.ts', 'third.ts']);
    expect(importProblems([dir], root)).toEqual([
      'Import cycle through 3 files: tests/fixtures/import-cycle/first.ts -> tests/fixtures/import-cycle/second.ts -> tests/fixtures/import-cycle/third.ts. Move the shared part to a file both can import.',
    ]);
  });

  it('finds barrels in core and the jobs only', () => {
    const graph = new Map([
      ['/x/src-main/core/energy/index.ts', []],
      ['/x/src-main/jobs/tasks/index.ts', []],
      ['/x/src-main/common/api/index.ts', []],
      ['/x/src-main/services/index.ts', []],
    ]);
    expect(findBarrels(graph)).toEqual(['/x/src-main/core/energy/index.ts', '/x/src-main/jobs/tasks/index.ts']);
  });

  it('passes on the tree: no cycles, no barrels', () => {
    expect(importProblems([path.join(root, 'src-main'), path.join(root, 'src-renderer')], root)).toEqual([]);
  });
});
