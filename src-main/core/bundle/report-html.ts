/**
 * The fleet report of a bundle: one self-contained HTML page (inline styles and an inline SVG
 * map, no scripts, nothing fetched) that an operator can open anywhere: the placement map (sites,
 * their nodes, each workload with the model it runs), the energy per node, and each node's models.
 */
import type { PlacementReport } from '../../common/placement/checker';
import type { PlacementProblem } from '../../common/placement/problem';
import type { ProjectDocument } from '../../common/project/schema';
import type { NodeManifest } from './manifest';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface ReportInput {
  document: ProjectDocument;
  problem: PlacementProblem;
  report: PlacementReport;
  manifests: readonly NodeManifest[];
  variants: Record<string, string>;
}

const NODE_W = 340;
/** Characters of a chip's text that fit its width at 11 px (the full text is its tooltip). */
const CHIP_CHARS = 48;
const fit = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);
const CHIP_H = 18;
const GAP = 14;

/** The map: one column per site, a box per node that serves something, a chip per workload. */
function mapSvg(input: ReportInput): string {
  const labels = new Map(input.document.models.map((m) => [m.id, m.label]));
  const workloads = new Map(input.document.workloads.map((w) => [w.id, w]));
  const sites = [...new Set(input.manifests.map((m) => m.node.site))];
  const columns = sites.map((site) => input.manifests.filter((m) => m.node.site === site));
  const heights = columns.map((nodes) => nodes.reduce((h, m) => h + 34 + m.workloads.length * (CHIP_H + 4) + GAP, 40));
  const width = Math.max(1, sites.length) * (NODE_W + 30) + 20;
  const height = Math.max(120, ...heights) + 10;
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Placement map">`];
  columns.forEach((nodes, c) => {
    const x = 20 + c * (NODE_W + 30);
    parts.push(`<text x="${x}" y="24" class="site">${escape(sites[c])}</text>`);
    let y = 40;
    for (const m of nodes) {
      const h = 30 + m.workloads.length * (CHIP_H + 4);
      const hue = Math.round(130 - 130 * Math.min(1, m.expected.utilization));
      parts.push(`<g data-node="${escape(m.node.id)}"><rect x="${x}" y="${y}" width="${NODE_W}" height="${h}" rx="6" fill="hsl(${hue} 65% 88%)" stroke="#64748b"/>`);
      parts.push(`<text x="${x + 8}" y="${y + 17}" class="node">${escape(m.node.name)} · ${escape(m.node.deviceType)} · ${(m.expected.utilization * 100).toFixed(0)}%</text>`);
      m.workloads.forEach((w, i) => {
        const cy = y + 26 + i * (CHIP_H + 4);
        const compressed = w.modelId !== workloads.get(w.id)?.modelId;
        parts.push(`<rect x="${x + 8}" y="${cy}" width="${NODE_W - 16}" height="${CHIP_H}" rx="4" fill="${compressed ? '#dbeafe' : '#ffffff'}" stroke="#94a3b8"/>`);
        const text = `${w.label} · ${labels.get(w.modelId) ?? w.modelId}`;
        parts.push(`<text x="${x + 14}" y="${cy + 13}" class="chip"><title>${escape(text)}</title>${escape(fit(text, CHIP_CHARS))}</text>`);
      });
      parts.push('</g>');
      y += h + GAP;
    }
  });
  parts.push('</svg>');
  return parts.join('\n');
}

export function reportHtml(input: ReportInput): string {
  const { document, report, manifests } = input;
  const labels = new Map(document.models.map((m) => [m.id, m.label]));
  const totalKJ = report.energyJ / 1e3;
  const nodeRows = manifests
    .map(
      (m) =>
        `<tr><td>${escape(m.node.name)}</td><td>${escape(m.node.site)}</td><td>${escape(m.node.deviceType)}</td><td class="num">${m.workloads.length}</td><td class="num">${(m.expected.utilization * 100).toFixed(1)} %</td><td class="num">${(m.expected.energyPerPeriodJ / 1e3).toFixed(2)}</td><td>${m.models.map((x) => escape(labels.get(x.modelId) ?? x.modelId)).join('<br>')}</td></tr>`,
    )
    .join('\n');
  const workloadRows = manifests
    .flatMap((m) =>
      m.workloads.map(
        (w) =>
          `<tr><td>${escape(w.label)}</td><td>${escape(w.sourceSite ?? '—')}</td><td>${escape(m.node.name)}</td><td>${escape(labels.get(w.modelId) ?? w.modelId)}</td><td class="num">${w.ratePerS}</td><td class="num">${w.sloMs}</td><td class="num">${(w.expected.energyPerInferenceJ * 1e3).toPrecision(4)}</td><td class="num">${w.expected.latencyMs.toPrecision(4)}</td></tr>`,
      ),
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(document.name)}: deployment plan</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px; color: #0f172a; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 28px; }
table { border-collapse: collapse; } td, th { border-bottom: 1px solid #e2e8f0; padding: 4px 10px; text-align: left; vertical-align: top; }
.num { text-align: right; } .muted { color: #64748b; }
svg text.site { font-weight: 700; font-size: 14px; } svg text.node { font-size: 12px; font-weight: 600; } svg text.chip { font-size: 11px; }
</style></head>
<body>
<h1>${escape(document.name)}: deployment plan</h1>
<p>${manifests.length} edge node${manifests.length === 1 ? ' serves' : 's serve'} ${document.workloads.length} workload${document.workloads.length === 1 ? '' : 's'}. Energy over the planning period (${(input.problem.periodS / 3600).toPrecision(3)} h): <strong>${totalKJ.toFixed(1)} kJ</strong>${report.feasible ? '' : ` — <strong>the plan breaks ${report.violations.length} constraint${report.violations.length === 1 ? '' : 's'}</strong>`}. Blue chips run a compressed variant.</p>
<h2>Placement map</h2>
<div id="map">${mapSvg(input)}</div>
<h2>Energy per node</h2>
<table><thead><tr><th>Node</th><th>Site</th><th>Device type</th><th class="num">Workloads</th><th class="num">Utilization</th><th class="num">kJ per period</th><th>Models</th></tr></thead><tbody>
${nodeRows}
</tbody></table>
<h2>Workloads</h2>
<table><thead><tr><th>Workload</th><th>Source site</th><th>Node</th><th>Model</th><th class="num">Rate /s</th><th class="num">SLO ms</th><th class="num">mJ per inference</th><th class="num">ms per inference</th></tr></thead><tbody>
${workloadRows}
</tbody></table>
<p class="muted">Written by Joule. Check the bundle with <code>sha256sum -c SHA256SUMS</code>.</p>
</body></html>
`;
}
