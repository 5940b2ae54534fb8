/**
 * IPC handlers generated from the API contract: one `ipcMain.handle` per method, named by
 * `channelOf`. Each handler checks that the call comes from Joule's own window and page, then
 * dispatches to the services and answers with an envelope (errors keep their type across IPC).
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { apiMethods, channelOf, type JouleServices } from '../common/api';
import { serializeError, InvalidRequestError } from '../common/errors';
import { dispatch } from '../services/dispatch';

export const IPC_PREFIX = 'joule:';
export const EVENT_CHANNEL = 'joule:event';

export function registerIpc(services: JouleServices, isTrustedSender: (event: IpcMainInvokeEvent) => boolean): void {
  for (const [service, methods] of Object.entries(apiMethods)) {
    for (const method of methods as readonly string[]) {
      ipcMain.handle(IPC_PREFIX + channelOf(service, method), async (event, args: unknown) => {
        if (!isTrustedSender(event)) {
          return { ok: false, error: serializeError(new InvalidRequestError(`Refused ${service}.${method}: the call did not come from Joule's window.`)) };
        }
        return dispatch(services, service, method, args);
      });
    }
  }
}
