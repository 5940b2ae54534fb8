/**
 * Modal questions the window asks: pick a file path (the in-window browser, for hosts without
 * native dialogs), yes/no confirmations and Save / Don't Save / Cancel. One request at a time;
 * components render the state.
 */
import { reactive } from 'vue';

export interface PathRequest {
  mode: 'open' | 'save';
  title: string;
  /** Folder to start in. */
  directory: string;
  /** Suggested file name for save. */
  fileName: string;
  extensions: string[];
  resolve: (path: string | null) => void;
}

export interface ConfirmRequest {
  message: string;
  confirmLabel: string;
  /** A second way to go on (Don't Save beside Save), resolving 'alternate'. */
  alternateLabel?: string;
  resolve: (answer: 'confirm' | 'alternate' | 'cancel') => void;
}

const state = reactive<{ path: PathRequest | null; confirm: ConfirmRequest | null }>({ path: null, confirm: null });

function ask(message: string, confirmLabel: string, alternateLabel?: string): Promise<'confirm' | 'alternate' | 'cancel'> {
  return new Promise((resolve) => {
    state.confirm = {
      message,
      confirmLabel,
      ...(alternateLabel ? { alternateLabel } : {}),
      resolve: (answer) => {
        state.confirm = null;
        resolve(answer);
      },
    };
  });
}

export function useDialogs() {
  return {
    state,
    pickPath(request: Omit<PathRequest, 'resolve'>): Promise<string | null> {
      return new Promise((resolve) => {
        state.path = {
          ...request,
          resolve: (value) => {
            state.path = null;
            resolve(value);
          },
        };
      });
    },
    async confirm(message: string, confirmLabel: string): Promise<boolean> {
      return (await ask(message, confirmLabel)) === 'confirm';
    },
    /** Save, Don't Save or Cancel, as desktop applications ask before dropping unsaved work. */
    async saveChanges(message: string, labels: { save: string; dontSave: string }): Promise<'save' | 'discard' | 'cancel'> {
      const answer = await ask(message, labels.save, labels.dontSave);
      return answer === 'confirm' ? 'save' : answer === 'alternate' ? 'discard' : 'cancel';
    },
  };
}
