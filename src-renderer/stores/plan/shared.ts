/** The plan screen's pure logic: the three strategies side by side and the bundle folder suggested for a project. */
import type { PlanReport } from '../../../src-main/common/api/plan';
import type { PlacementRunResult } from '../../../src-main/common/api/placement';

export type StrategyKey = 'joint' | 'originals' | 'oneVariant';

export interface StrategyRow {
  key: StrategyKey;
  result: PlacementRunResult | null;
  error: string | null;
  /** Workloads running a model other than their own. */
  compressed: number | null;
  /** Energy over the period above the joint plan's (null for the joint plan itself or without a feasible result). */
  extraJ: number | null;
}

export function strategyRows(report: PlanReport, ownModel: ReadonlyMap<string, string>): StrategyRow[] {
  const compressed = (r: PlacementRunResult | null) => (r ? Object.entries(r.variants).filter(([w, m]) => ownModel.get(w) !== m).length : null);
  const extra = (r: PlacementRunResult | null) => (r?.feasible && report.joint.feasible ? r.energyJ - report.joint.energyJ : null);
  return [
    { key: 'joint', result: report.joint, error: null, compressed: compressed(report.joint), extraJ: null },
    { key: 'originals', result: report.originals.result, error: report.originals.error, compressed: compressed(report.originals.result), extraJ: extra(report.originals.result) },
    { key: 'oneVariant', result: report.oneVariant.result, error: report.oneVariant.error, compressed: compressed(report.oneVariant.result), extraJ: extra(report.oneVariant.result) },
  ];
}

/** `<folder>/<project name>-bundle`, the name made safe for every file system. */
export function suggestedBundleDir(folder: string, projectName: string): string {
  const slug = projectName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'joule';
  return `${folder.replace(/[\\/]+$/, '')}/${slug}-bundle`;
}
