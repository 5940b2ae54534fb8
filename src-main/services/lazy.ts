/**
 * A service built on first use. Every contract method is async, so a stand-in whose methods
 * await the real service and forward the call is indistinguishable to callers: a CLI command
 * that lists devices never loads the zoo, the placement code or a worker.
 */
import { apiMethods, type JouleServices, type ServiceName } from '../common/api';

export function lazyService<S extends ServiceName>(name: S, create: () => Promise<JouleServices[S]>): JouleServices[S] {
  let instance: Promise<JouleServices[S]> | null = null;
  const stand: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const method of apiMethods[name] as readonly string[]) {
    stand[method] = async (...args: unknown[]) => {
      instance ??= create();
      const service = (await instance) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
      return service[method](...args);
    };
  }
  return stand as unknown as JouleServices[S];
}

/** A value computed once, on first call. */
export function once<T>(make: () => T): () => T {
  let value: { v: T } | null = null;
  return () => (value ??= { v: make() }).v;
}
