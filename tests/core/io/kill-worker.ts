/**
 * Child process of the kill-during-save test: saves a project (with its .bak) and exports a
 * bundle, over and over, until it is killed. Prints `ready` once the first cycle has started.
 * argv: <project file> <exports folder> <device library ids, comma-separated>
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeBundle } from '../../../src-main/core/bundle/write';
import { writeProjectFile } from '../../../src-main/core/project/project-file';
import type { ProjectDocument } from '../../../src-main/common/project/schema';

const [file, exportsDir, ids] = process.argv.slice(2);
const deviceTypes = ids.split(',');
const base = JSON.parse(readFileSync(file, 'utf8')) as ProjectDocument;
// A few MB so that a write spans many milliseconds and the kill lands inside one.
const notes = 'n'.repeat(3 * 1024 * 1024);
const model = new Uint8Array(2 * 1024 * 1024).fill(7);

for (let version = 1; ; version++) {
  const document: ProjectDocument = { ...base, name: `Kill test ${version}`, devices: base.devices.map((d, i) => (i === 0 ? { ...d, notes: `${version} ${notes}` } : d)) };
  if (version === 1) process.stdout.write('ready\n');
  await writeProjectFile(file, document, deviceTypes);
  const files = [
    { path: 'model/model.onnx', data: model },
    { path: 'manifest.json', data: new TextEncoder().encode(JSON.stringify({ version, files: [{ path: 'model/model.onnx', bytes: model.byteLength }] })) },
  ];
  await writeBundle(path.join(exportsDir, `bundle-${process.pid}-${version}`), files);
}
