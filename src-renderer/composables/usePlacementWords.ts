/**
 * The placement screen's names, in the reader's language: nodes by device row name, workloads by
 * label, algorithms spelled out, and the checker's violations worded with units.
 */
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { placementAlgorithms } from '../../src-main/common/api/placement';
import type { Violation } from '../../src-main/common/placement/report';
import { usePlacementStore } from '../stores/placement';
import { algorithmName, hopName, nodeNames, violationText, type Translate } from '../stores/placement/words';
import { useProjectStore } from '../stores/project';

export function usePlacementWords() {
  const { t, locale } = useI18n();
  const project = useProjectStore();
  const placement = usePlacementStore();
  const translate = t as unknown as Translate;

  const nodes = computed(() => nodeNames(project.document?.devices ?? [], translate, placement.problem?.cloud?.id));
  const workloads = computed(() => Object.fromEntries((project.document?.workloads ?? []).map((w) => [w.id, w.label])));

  return {
    /** Node id -> "Gate camera 2 of 4". */
    nodes,
    /** Workload id -> label. */
    workloads,
    algorithm: (algorithm: string) => algorithmName(algorithm, translate, placementAlgorithms),
    hop: (hopId: string) => (placement.problem ? hopName(hopId, placement.problem, translate) : hopId),
    violation: (v: Violation) =>
      placement.problem ? violationText(v, { t: translate, locale: locale.value, problem: placement.problem, workloads: workloads.value, nodes: nodes.value }) : v.message,
  };
}
