/** HostApi of the browser host: no native dialogs; the window browses folders through the API. */
import os from 'node:os';
import type { HostApi, HostInfo } from '../../common/api/host';
import { UnsupportedError } from '../../common/errors';
import type { FileAccess } from '../../services/file-access';
import { listDirectory } from '../../services/files';
import { appVersion } from '../paths';

/** The browser host's HostApi; its folder listings follow `access` (the workspace root of `joule serve`). */
export function browserHostApi(access: FileAccess): HostApi {
  const info: HostInfo = {
    kind: 'browser',
    version: appVersion(),
    platform: process.platform,
    locale: Intl.DateTimeFormat().resolvedOptions().locale,
    nativeDialogs: false,
    // The window's file browser starts in the workspace, the only place it can list.
    homeDir: access.root ?? os.homedir(),
  };
  const noDialogs = async (): Promise<never> => {
    throw new UnsupportedError('The browser host has no native file dialogs; the window shows its own.');
  };
  return {
    info: async () => info,
    showOpenDialog: noDialogs,
    showSaveDialog: noDialogs,
    listDirectory: (dirPath, extensions) => listDirectory(dirPath, extensions, access),
    // The browser tab shows the title and asks before unloading by itself.
    setDocumentState: async () => {},
    showInFolder: async () => {
      throw new UnsupportedError('The browser host cannot open the file manager; the path is shown in the window instead.');
    },
    closeWindow: async () => {},
  };
}
