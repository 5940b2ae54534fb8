/**
 * How the placement screen names things and words the checker's findings, in the reader's
 * language: nodes by their device row's name ("Gate camera 2 of 4"), violations with readable
 * quantities ("needs 8.9 GMAC/s, the node offers 4.0 GMAC/s", energies in kJ and Wh).
 * Pure: the caller passes `t` and the locale.
 */
import type { Violation } from '../../../src-main/common/placement/report';
import type { PlacementProblem } from '../../../src-main/common/placement/problem';
import type { Device } from '../../../src-main/common/project/schema';
import { formatEnergy, formatNumber, formatSI } from '../../../src-main/common/units';

export type Translate = (key: string, params?: Record<string, unknown>) => string;

/** Node id -> display name: the row's name, with the node's index when the row stands for several. */
export function nodeNames(devices: readonly Device[], t: Translate, cloudId?: string): Record<string, string> {
  const names: Record<string, string> = {};
  for (const d of devices) {
    for (let k = 1; k <= d.count; k++) names[`${d.id}#${k}`] = d.count > 1 ? t('placement.nodeName', { name: d.name, index: k, count: d.count }) : d.name;
  }
  if (cloudId) names[cloudId] = t('placement.cloudName');
  return names;
}

/** An algorithm's name as the window spells it; an accepted placement may record `edited` or a name from elsewhere. */
export function algorithmName(algorithm: string, t: Translate, known: readonly string[]): string {
  if (known.includes(algorithm)) return t(`placement.algoName.${algorithm}`);
  return algorithm === 'edited' ? t('placement.edited') : algorithm;
}

export interface ViolationContext {
  t: Translate;
  locale: string;
  problem: PlacementProblem;
  /** Workload id -> label. */
  workloads: Record<string, string>;
  /** Node id -> name. */
  nodes: Record<string, string>;
}

/**
 * Two quantities with enough digits that they differ when they do: a budget of 216.0 kJ and a
 * spend of 216.04 kJ must not both read "216 kJ".
 */
function pair(value: number, limit: number, format: (x: number, significant: number) => string, from: number): [string, string] {
  // Compared on the first quantity: an energy's Wh in brackets follows its J.
  const first = (text: string) => text.split(' (')[0];
  for (let significant = from; significant < 7; significant++) {
    const [a, b] = [format(value, significant), format(limit, significant)];
    if (first(a) !== first(b) || value === limit) return [a, b];
  }
  return [format(value, 7), format(limit, 7)];
}

const percent = (x: number, locale: string) => `${formatNumber(x * 100, locale, 1)} %`;

/** The violation as a sentence in the reader's language, with units; the checker's English sentence for a kind it does not know. */
export function violationText(v: Violation, c: ViolationContext): string {
  const { t, locale, problem } = c;
  const workload = v.workloadId ? (c.workloads[v.workloadId] ?? v.workloadId) : '';
  const node = v.nodeId ? (c.nodes[v.nodeId] ?? v.nodeId) : '';
  const f = v.figures;
  const key = `placement.violation.${v.constraint}`;
  const nodeOf = problem.nodes.find((n) => n.id === v.nodeId);
  switch (v.constraint) {
    case 'unassigned':
    case 'unknownWorkload':
    case 'unknownNode':
    case 'unknownVariant':
    case 'cloudNotAllowed':
      return t(key, { workload, node });
    case 'allowedType': {
      const allowed = problem.workloads.find((w) => w.id === v.workloadId)?.allowedDeviceTypes ?? [];
      return t(key, { workload, node, allowed: allowed.join(', '), type: nodeOf?.deviceType ?? '' });
    }
    case 'unsupported':
      return t(key, { workload, node, type: nodeOf?.deviceType ?? '' });
    case 'noPath':
      return t(key, { workload, node, from: problem.workloads.find((w) => w.id === v.workloadId)?.site ?? '', to: nodeOf?.site ?? '' });
    case 'accuracy':
      return f ? t(key, { workload, value: percent(f.value, locale), limit: percent(f.limit, locale) }) : v.message;
    case 'slo': {
      if (!f) return v.message;
      const ms = (x: number) => `${formatNumber(x, locale, 1)} ms`;
      if (v.nodeId === problem.cloud?.id) return t('placement.violation.sloCloud', { workload, value: ms(f.value), limit: ms(f.limit) });
      const parts = (['inference', 'host', 'transfer'] as const)
        .map((p) => [p, f[`${p}Ms`]] as const)
        .filter(([, x]) => x !== undefined && x > 0)
        .map(([p, x]) => t(`placement.violation.sloParts.${p}`, { ms: ms(x!) }));
      return t(key, { workload, node, value: ms(f.value), limit: ms(f.limit), parts: parts.join(', ') });
    }
    case 'compute':
    case 'memory':
    case 'energyBudget':
    case 'network':
    case 'link': {
      if (!f) return v.message;
      const format = quantityFormat(v.constraint, locale);
      const [value, limit] = pair(f.value, f.limit, format, v.constraint === 'energyBudget' ? 3 : 2);
      return t(key, { node, value, limit, hop: v.hopId ? hopName(v.hopId, problem, t) : '' });
    }
    case 'headroom':
      return f ? t(key, { node, value: percent(f.value, locale), limit: percent(f.limit, locale) }) : v.message;
    default: {
      const never: never = v.constraint;
      void never;
      return v.message;
    }
  }
}

function quantityFormat(kind: 'compute' | 'memory' | 'energyBudget' | 'network' | 'link', locale: string): (x: number, significant: number) => string {
  switch (kind) {
    case 'compute':
      return (x, s) => formatSI(x, 'MAC/s', locale, s);
    case 'memory':
      return (x, s) => formatSI(x * 1e6, 'B', locale, s);
    case 'energyBudget':
      return (x, s) => formatEnergy(x, locale, s);
    case 'network':
    case 'link':
      return (x, s) => formatSI(x * 1e6, 'b/s', locale, s);
    default: {
      const never: never = kind;
      throw new Error(`No format for ${String(never)}.`);
    }
  }
}

/** `lan:SITE` or a link's id, as the reader knows it: "The LAN of Harbour gate", "The link Harbour gate – Warehouse 3". */
export function hopName(hopId: string, problem: Pick<PlacementProblem, 'links'>, t: Translate): string {
  if (hopId.startsWith('lan:')) return t('placement.hop.lan', { site: hopId.slice(4) });
  const link = problem.links.find((l) => l.id === hopId);
  return link ? t('placement.hop.link', { a: link.a, b: link.b }) : hopId;
}
