import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compare, parseJustifications, parseReport } from '../../scripts/electronegativity';

// The shape Electronegativity 1.10 writes with `-o report.csv -r`.
const report = `issue, severity, confidence, filename, location, sample, description, url
CSP_GLOBAL_CHECK,"LOW","TENTATIVE","main/index.js","955:13",N/A,"Failed to parse CSP, it may not be valid.",https://github.com/doyensec/electronegativity/wiki/CSP_GLOBAL_CHECK
PRELOAD_JS_CHECK,"MEDIUM","FIRM","main/index.js","985:3","preload: path.join(here, ""../preload/index.cjs""),","Review the use of preload scripts",https://github.com/doyensec/electronegativity/wiki/PRELOAD_JS_CHECK
`;

describe('electronegativity gate', () => {
  it('reads findings with repository-relative files', () => {
    const findings = parseReport(report, 'out');
    expect(findings.map((f) => [f.check, f.file, f.location, f.severity])).toEqual([
      ['CSP_GLOBAL_CHECK', 'out/main/index.js', '955:13', 'LOW'],
      ['PRELOAD_JS_CHECK', 'out/main/index.js', '985:3', 'MEDIUM'],
    ]);
  });

  it('fails unjustified findings and stale justifications, whatever the line', () => {
    const findings = parseReport(report, 'out');
    const { unjustified, stale } = compare(findings, [
      { check: 'CSP_GLOBAL_CHECK', file: 'out/main/index.js' },
      { check: 'AUXCLICK_JS_CHECK', file: 'out/main/index.js' },
    ]);
    expect(unjustified.map((f) => f.check)).toEqual(['PRELOAD_JS_CHECK']);
    expect(stale).toEqual([{ check: 'AUXCLICK_JS_CHECK', file: 'out/main/index.js' }]);
  });

  it('reads the justified table of docs/security.md', () => {
    const justified = parseJustifications(readFileSync(path.resolve(import.meta.dirname, '../../docs/security.md'), 'utf8'));
    expect(justified.length).toBeGreaterThan(0);
    for (const j of justified) {
      expect(j.check).toMatch(/^[A-Z_]+_CHECK$/);
      expect(j.file).toMatch(/^(src-main\/app|out)\//);
    }
    expect(() => parseJustifications('# no table')).toThrow(/electronegativity:justified/);
  });
});
