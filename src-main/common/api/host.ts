/** What differs between the Electron window and the browser host, behind one interface. */

export type HostKind = 'electron' | 'browser';

export interface HostInfo {
  kind: HostKind;
  version: string;
  platform: string;
  /** BCP 47 tag of the operating system's language, `en-US`, `zh-CN`. */
  locale: string;
  /** True when the host shows native open/save dialogs; otherwise the window browses folders itself. */
  nativeDialogs: boolean;
  /** The user's home folder, where the window's own file browser starts. */
  homeDir: string;
}

export interface FileFilter {
  name: string;
  extensions: string[];
}

export interface DirectoryEntry {
  name: string;
  path: string;
  kind: 'file' | 'directory';
  sizeBytes: number;
  modifiedAt: number;
}

export interface DirectoryListing {
  path: string;
  parent: string | null;
  entries: DirectoryEntry[];
}

export interface HostApi {
  info(): Promise<HostInfo>;
  /** Native "Open" dialog; resolves to null when the user cancels. */
  showOpenDialog(options: { title: string; filters: FileFilter[] }): Promise<string | null>;
  /** Native "Save As" dialog; resolves to null when the user cancels. */
  showSaveDialog(options: { title: string; defaultPath: string; filters: FileFilter[] }): Promise<string | null>;
  /** Folders and files of one directory (hidden ones left out), for the window's own file browser. */
  listDirectory(path: string, extensions: string[]): Promise<DirectoryListing>;
  /** The window title and whether there is unsaved work, so closing the window can ask first. */
  setDocumentState(state: { title: string; dirty: boolean }): Promise<void>;
  /** Shows a file in the system's file manager (the desktop window only; the browser host refuses). */
  showInFolder(path: string): Promise<void>;
  /** Closes the window without asking again (after the user chose to discard or saved). */
  closeWindow(): Promise<void>;
}
