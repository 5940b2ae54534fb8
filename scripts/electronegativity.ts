/**
 * Runs Doyensec's Electronegativity over the Electron host's sources and the built app, and fails
 * on any finding that docs/security.md does not justify, or on a justification that no longer
 * matches a finding (so the table never defends code that is gone).
 *
 *   npx electron-vite build && node --import tsx scripts/electronegativity.ts
 *
 * Findings are matched by check and file, not by line, so moving code does not need a new entry;
 * a new kind of finding in a file does. The justified findings are the rows of the table between
 * the `electronegativity:justified` markers in docs/security.md: | Check | File | Why ... |.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCsv } from '../src-main/common/csv/csv';

const root = path.resolve(import.meta.dirname, '..');
/** What is scanned: the host's TypeScript and the bundles electron-vite builds from it. */
const inputs = ['src-main/app', 'out'];
const docPath = 'docs/security.md';

export interface Finding {
  check: string;
  severity: string;
  confidence: string;
  /** Repository-relative, with '/' separators. */
  file: string;
  location: string;
  description: string;
}

export interface Justification {
  check: string;
  file: string;
}

/** The rows of Electronegativity's CSV report for one scanned folder. */
export function parseReport(csv: string, input: string): Finding[] {
  const [, ...rows] = parseCsv(csv);
  return rows.map(({ fields }) => ({
    check: fields[0].trim(),
    severity: fields[1]?.trim() ?? '',
    confidence: fields[2]?.trim() ?? '',
    file: path.posix.join(input, (fields[3] ?? '').trim().split(path.sep).join('/')),
    location: fields[4]?.trim() ?? '',
    description: fields[6]?.trim() ?? '',
  }));
}

/** The justified findings: the table rows between the markers in docs/security.md. */
export function parseJustifications(markdown: string): Justification[] {
  const start = markdown.indexOf('<!-- electronegativity:justified:start -->');
  const end = markdown.indexOf('<!-- electronegativity:justified:end -->');
  if (start < 0 || end < start) throw new Error(`${docPath} has no table between the electronegativity:justified markers.`);
  return markdown
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
    .map((line) => line.split('|').map((cell) => cell.trim().replace(/^`|`$/g, '')))
    .filter((cells) => cells[1] !== 'Check')
    .map((cells) => ({ check: cells[1], file: cells[2] }));
}

const same = (finding: Finding, justification: Justification) => finding.check === justification.check && finding.file === justification.file;

/** Findings nobody justified, and justifications no finding needs. */
export function compare(findings: Finding[], justified: Justification[]): { unjustified: Finding[]; stale: Justification[] } {
  return {
    unjustified: findings.filter((finding) => !justified.some((j) => same(finding, j))),
    stale: justified.filter((j) => !findings.some((finding) => same(finding, j))),
  };
}

function electronegativityBin(): string {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve('@doyensec/electronegativity/package.json');
  } catch {
    throw new Error("The devDependency '@doyensec/electronegativity' is not installed; run 'npm ci'.");
  }
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: string | Record<string, string> };
  return path.join(path.dirname(manifest), typeof bin === 'string' ? bin : bin.electronegativity);
}

function scan(): Finding[] {
  if (!existsSync(path.join(root, 'out/main/index.js'))) throw new Error("out/main/index.js is missing; run 'npx electron-vite build' first.");
  const electronVersion = (JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
  const bin = electronegativityBin();
  const scratch = mkdtempSync(path.join(tmpdir(), 'joule-electronegativity-'));
  try {
    return inputs.flatMap((input, i) => {
      const report = path.join(scratch, `report-${i}.csv`);
      // -r: paths relative to the input; -v false: no long descriptions; -e: the Electron we ship.
      const run = () => {
        execFileSync(process.execPath, [bin, '-i', path.join(root, input), '-r', '-v', 'false', '-e', electronVersion, '-o', report], { stdio: ['ignore', 'ignore', 'inherit'] });
        return readFileSync(report, 'utf8');
      };
      // Electronegativity 1.10.3 writes the CSV header with an unawaited fs.writeFile that truncates
      // while the rows are appended by another, so now and then the header lands over the first
      // row (seen in about one run in four here). Such a report fails to parse: scan again.
      for (let attempt = 1; ; attempt++) {
        const text = run();
        try {
          return parseReport(text, input);
        } catch (error) {
          if (attempt === 4) throw error;
          console.error(`Electronegativity wrote a report that is not valid CSV (${(error as Error).message}); scanning ${input} again. The report began:\n${text.slice(0, 300)}`);
        }
      }
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function main(): void {
  const findings = scan();
  const { unjustified, stale } = compare(findings, parseJustifications(readFileSync(path.join(root, docPath), 'utf8')));
  for (const finding of findings) {
    const mark = unjustified.includes(finding) ? 'UNJUSTIFIED' : 'justified  ';
    console.log(`${mark} ${finding.check} ${finding.file}:${finding.location} (${finding.severity}, ${finding.confidence}) ${finding.description}`);
  }
  for (const j of stale) console.log(`STALE       ${j.check} ${j.file}: ${docPath} justifies a finding Electronegativity no longer reports; remove the row.`);
  if (unjustified.length || stale.length) {
    console.error(`Electronegativity: ${unjustified.length} unjustified finding(s), ${stale.length} stale justification(s). Fix the code, or justify the finding in ${docPath}.`);
    process.exitCode = 1;
  } else {
    console.log(`Electronegativity: ${findings.length} finding(s), each justified in ${docPath}.`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  try {
    main();
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
