/**
 * Keyboard shortcuts of the window, the same in both hosts (the Electron menu shows them but does
 * not register Undo/Redo itself). Undo/Redo act on the project unless a text field is being
 * edited, where the field's own undo applies.
 */
import { onBeforeUnmount, onMounted } from 'vue';
import type { MenuCommand } from '../../src-main/common/api';

export function commandForKey(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey'>, inTextField: boolean): MenuCommand | null {
  if (!(event.ctrlKey || event.metaKey)) return null;
  const key = event.key.toLowerCase();
  if (key === 'z' && !inTextField) return event.shiftKey ? 'edit.redo' : 'edit.undo';
  if (key === 'y' && !inTextField) return 'edit.redo';
  if (key === 's') return event.shiftKey ? 'file.saveAs' : 'file.save';
  if (key === 'o') return 'file.open';
  return null;
}

export function useShortcuts(run: (command: MenuCommand) => void): void {
  const onKey = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement | null;
    const inTextField = !!target && (target.tagName === 'TEXTAREA' || (target.tagName === 'INPUT' && (target as HTMLInputElement).type !== 'checkbox'));
    const command = commandForKey(event, inTextField);
    if (!command) return;
    event.preventDefault();
    if (inTextField) target?.blur();
    run(command);
  };
  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
}
