import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectFileError } from '../../../src-main/common/errors';
import { emptyProject } from '../../../src-main/common/project/schema';
import { rebaseModelPaths } from '../../../src-main/core/project/paths';
import { readProjectFile, writeProjectFile } from '../../../src-main/core/project/project-file';

const dir = () => mkdtempSync(path.join(os.tmpdir(), 'joule-project-'));

describe('project files', () => {
  it('names the file when it does not exist', async () => {
    await expect(readProjectFile('/nowhere/fleet.joule', null)).rejects.toThrow('Cannot open /nowhere/fleet.joule: the file does not exist.');
  });

  it('names the file and the position when it is not JSON, never its text', async () => {
    const file = path.join(dir(), 'broken.joule');
    writeFileSync(file, '{ "name": ');
    await expect(readProjectFile(file, null)).rejects.toThrow(/^broken\.joule is not valid JSON \(line 1, column 11\)\.$/);
    writeFileSync(file, 'root:x:0:0:root:/root:/bin/bash\n');
    await expect(readProjectFile(file, null)).rejects.toThrow(/^broken\.joule is not valid JSON \(line 1, column 1\)\.$/);
  });

  it('lists every problem with its JSON path', async () => {
    const file = path.join(dir(), 'bad.joule');
    const project = { ...emptyProject('Bad'), sites: [{ id: 's', name: 'S' }] } as Record<string, unknown>;
    project.devices = [
      { id: 'd', name: 'D', type: 'raspberry-pi-4', siteId: 's', count: 1, ramMB: '4GB', storageGB: 16, power: 'mains', energyWh: null, uplinkMbps: 1, radio: 'wifi' },
    ];
    writeFileSync(file, JSON.stringify(project));
    const error = await readProjectFile(file, ['raspberry-pi-4']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProjectFileError);
    expect((error as ProjectFileError).message).toBe('bad.joule has 1 problem: devices[0].ramMB: expected a positive number, got "4GB".');
    expect((error as ProjectFileError).problems).toEqual([{ path: 'devices[0].ramMB', message: 'expected a positive number, got "4GB"' }]);
  });

  it('refuses to save an invalid project and leaves the old file alone', async () => {
    const file = path.join(dir(), 'p.joule');
    await writeProjectFile(file, emptyProject('Good'), null);
    const before = readFileSync(file, 'utf8');
    await expect(writeProjectFile(file, { ...emptyProject(''), name: '' }, null)).rejects.toThrow(/^Not saved: the project has 1 problem\(s\): name: needs a name/);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('rebases relative model paths on Save As into another folder', () => {
    const doc = {
      ...emptyProject(),
      models: [
        { id: 'a', label: 'A', path: 'models/a.onnx', sha256: '0'.repeat(64), sizeBytes: 1 },
        { id: 'b', label: 'B', path: '/abs/b.onnx', sha256: '0'.repeat(64), sizeBytes: 1 },
      ],
    };
    const moved = rebaseModelPaths(doc, '/work/projects', '/work/projects/archive/2026');
    expect(moved.models.map((m) => m.path)).toEqual(['../../models/a.onnx', '/abs/b.onnx']);
    expect(rebaseModelPaths(doc, '/x', '/x')).toBe(doc);
  });
});
