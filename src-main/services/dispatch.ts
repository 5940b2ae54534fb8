/**
 * Calls `service.method(...args)` for a transport (Electron IPC, HTTP) after checking that the
 * method is part of the contract, and wraps the outcome in an Envelope: transports never carry a
 * thrown exception, only `{ ok, value }` or `{ ok: false, error: { name, message, details } }`.
 */
import { isApiMethod, type Envelope, type JouleServices } from '../common/api';
import { InvalidRequestError, serializeError } from '../common/errors';
import { describeValue } from '../common/validation';

export async function dispatch(services: JouleServices, service: string, method: string, args: unknown): Promise<Envelope> {
  try {
    if (!isApiMethod(service, method)) throw new InvalidRequestError(`${describeValue(`${service}.${method}`)} is not a Joule API method.`);
    if (!Array.isArray(args)) throw new InvalidRequestError(`The arguments of ${service}.${method} must be a list.`);
    const target = services[service as keyof JouleServices] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    const value = await target[method](...args);
    return { ok: true, value: value === undefined ? null : value };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  }
}
