/** `joule project check|validate FILE`. */
import path from 'node:path';
import type { ModelFileReport, ProjectCheckReport } from '../../../common/api/project';
import { ProjectFileError } from '../../../common/errors';
import { problemToSentence } from '../../../common/validation';
import type { Command } from '../command';
import { awaitJob } from '../jobs';

const statusMark: Record<ModelFileReport['status'], string> = {
  ok: 'ok',
  missing: 'MISSING',
  'size-mismatch': 'SIZE',
  'sha256-mismatch': 'CHANGED',
  unreadable: 'UNREADABLE',
};

const check: Command = {
  words: ['project', 'check'],
  summary: 'Validate a project file and verify every model file it references (exists, size, sha256).',
  positionals: [{ name: 'FILE', description: 'A .joule project file.' }],
  options: {},
  async run(args, context) {
    const { project } = (await context.runtime()).services;
    const { path: file, document, baseDir } = await project.read(args.positionals[0]);
    const report = await awaitJob<ProjectCheckReport>(context, project.startCheck({ document, baseDir }), { progress: false });
    if (args.json) {
      context.out(JSON.stringify({ project: file, name: document.name, ...report }, null, 2));
    } else {
      context.out(`${document.name} (${file})`);
      for (const f of report.files) context.out(`  ${statusMark[f.status].padEnd(10)} ${f.label}: ${f.message}`);
      const bad = report.files.filter((f) => f.status !== 'ok').length;
      context.out(bad ? `${bad} of ${report.files.length} model files have problems.` : `All ${report.files.length} model files are intact.`);
    }
    return report.ok ? 0 : 1;
  },
};

const validate: Command = {
  words: ['project', 'validate'],
  summary: 'Check a project file against the schema and the device library; list every problem with its JSON path.',
  positionals: [{ name: 'FILE', description: 'A .joule project file.' }],
  options: {},
  async run(args, context) {
    const { project } = (await context.runtime()).services;
    const file = path.resolve(args.positionals[0]);
    try {
      const { document, migratedFrom } = await project.read(file);
      if (args.json) context.out(JSON.stringify({ project: file, ok: true, migratedFrom, problems: [] }, null, 2));
      else context.out(`${file} is valid: ${document.devices.length} device rows over ${document.sites.length} sites, ${document.models.length} models.`);
      return 0;
    } catch (error) {
      if (!(error instanceof ProjectFileError) || !error.problems.length) throw error;
      if (args.json) context.out(JSON.stringify({ project: file, ok: false, problems: error.problems }, null, 2));
      else for (const p of error.problems) context.err(problemToSentence(p));
      return 1;
    }
  },
};

export const projectCommands = [check, validate];
