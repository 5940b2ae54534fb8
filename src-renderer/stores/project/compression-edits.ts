/** Edits of the project's energy budgets and of the wizard's runs, as pure functions (old document in, new document out). */
import { nextId } from '../../../src-main/common/project/ids';
import type { Budget, CompressionRun, ModelRef, ProjectDocument } from '../../../src-main/common/project/schema';
import type { CellValue } from './edits';

export const budgetFields = ['label', 'deviceType', 'maxEnergyPerInferenceMJ', 'maxLatencyMs', 'minAccuracy'] as const;
export type BudgetField = (typeof budgetFields)[number];

/** A new budget for a device type: 1 mJ per inference to start from. */
export function addBudget(document: ProjectDocument, deviceType: string, label: string): ProjectDocument {
  const budget: Budget = { id: nextId('budget', document.budgets.map((b) => b.id)), label, deviceType, maxEnergyPerInferenceMJ: 1 };
  return { ...document, budgets: [...document.budgets, budget] };
}

/** Sets one field; an emptied optional limit is removed (a number field left empty is an error, not a zero). */
export function setBudgetField(document: ProjectDocument, id: string, field: BudgetField, value: CellValue): ProjectDocument {
  return {
    ...document,
    budgets: document.budgets.map((b) => {
      if (b.id !== id) return b;
      const next = { ...b, [field]: value } as Budget & Record<string, unknown>;
      if (field !== 'label' && field !== 'deviceType' && (value === null || value === '')) delete next[field];
      return next as Budget;
    }),
  };
}

export function deleteBudget(document: ProjectDocument, id: string): ProjectDocument {
  return { ...document, budgets: document.budgets.filter((b) => b.id !== id) };
}

/** The energy per inference (mJ) of a device type's first budget, added when the type has none. */
export function setDeviceEnergyBudget(document: ProjectDocument, deviceType: string, mj: number, label: string): ProjectDocument {
  const existing = document.budgets.find((b) => b.deviceType === deviceType);
  if (existing) return setBudgetField(document, existing.id, 'maxEnergyPerInferenceMJ', mj);
  const added = addBudget(document, deviceType, label);
  return setBudgetField(added, added.budgets.at(-1)!.id, 'maxEnergyPerInferenceMJ', mj);
}

export function addCompressionRun(document: ProjectDocument, run: CompressionRun): ProjectDocument {
  return { ...document, compression: { runs: [...document.compression.runs, run] } };
}

/** Adds an option's model to the project as a variant of its parent, and marks the option as accepted. */
export function acceptCompressionOption(document: ProjectDocument, runId: string, optionId: string, ref: ModelRef): ProjectDocument {
  return {
    ...document,
    models: [...document.models, ref],
    compression: {
      runs: document.compression.runs.map((run) =>
        run.id !== runId ? run : { ...run, options: run.options.map((o) => (o.id === optionId ? { ...o, acceptedAs: ref.id } : o)) },
      ),
    },
  };
}
