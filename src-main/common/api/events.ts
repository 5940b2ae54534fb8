/** Events pushed from the hosts to the window, the same in every host. */
import type { JobInfo } from './jobs';

/** Commands from native menus (Electron); the browser window raises the same ones from its own keys. */
export const menuCommands = [
  'file.new',
  'file.open',
  'file.save',
  'file.saveAs',
  'file.saveAndClose',
  'file.export',
  'edit.undo',
  'edit.redo',
] as const;
export type MenuCommand = (typeof menuCommands)[number];

export type JouleEvent =
  | { type: 'job.updated'; job: JobInfo }
  | { type: 'menu.command'; command: MenuCommand }
  | { type: 'menu.openRecent'; path: string }
  /** Save As copying model files into the new folder: bytes so far over the bytes it will copy. */
  | { type: 'project.saveProgress'; path: string; file: string; copiedBytes: number; totalBytes: number };

export type JouleEventListener = (event: JouleEvent) => void;
