/**
 * Modal questions the window asks: pick a file path (the in-window browser, for hosts without
 * native dialogs) and yes/no confirmations. One request at a time; components render the state.
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
  resolve: (ok: boolean) => void;
}

const state = reactive<{ path: PathRequest | null; confirm: ConfirmRequest | null }>({ path: null, confirm: null });

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
    confirm(message: string, confirmLabel: string): Promise<boolean> {
      return new Promise((resolve) => {
        state.confirm = {
          message,
          confirmLabel,
          resolve: (ok) => {
            state.confirm = null;
            resolve(ok);
          },
        };
      });
    },
  };
}
