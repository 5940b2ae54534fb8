/**
 * Undo/redo as a list of whole-document snapshots. Projects are small (kilobytes), so snapshots
 * are simpler and safer than inverse operations; the depth is capped.
 */
export interface HistoryEntry<T> {
  /** Unique per change; the saved entry's id tells whether the document is dirty. */
  id: number;
  value: T;
  /** What the change did, for the Undo tooltip: `Edit RAM of "Gate cam 1"`. */
  label: string;
}

export interface History<T> {
  past: HistoryEntry<T>[];
  present: HistoryEntry<T>;
  future: HistoryEntry<T>[];
}

export const MAX_UNDO = 200;
let nextEntryId = 1;

export function startHistory<T>(value: T, label = 'Open'): History<T> {
  return { past: [], present: { id: nextEntryId++, value, label }, future: [] };
}

export function record<T>(history: History<T>, value: T, label: string): History<T> {
  const past = [...history.past, history.present].slice(-MAX_UNDO);
  return { past, present: { id: nextEntryId++, value, label }, future: [] };
}

export function undo<T>(history: History<T>): History<T> {
  const previous = history.past.at(-1);
  if (!previous) return history;
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future] };
}

export function redo<T>(history: History<T>): History<T> {
  const [next, ...rest] = history.future;
  if (!next) return history;
  return { past: [...history.past, history.present], present: next, future: rest };
}
