/** Short messages for the user: errors that need reading, and confirmations that fade. */
import { reactive } from 'vue';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

const notices = reactive<Notice[]>([]);
let nextId = 1;
const INFO_MS = 4000;

export function useNotices() {
  const dismiss = (id: number) => {
    const i = notices.findIndex((n) => n.id === id);
    if (i >= 0) notices.splice(i, 1);
  };
  return {
    notices,
    dismiss,
    info(text: string) {
      const id = nextId++;
      notices.push({ id, kind: 'info', text });
      setTimeout(() => dismiss(id), INFO_MS);
    },
    error(error: unknown) {
      notices.push({ id: nextId++, kind: 'error', text: error instanceof Error ? error.message : String(error) });
    },
  };
}
