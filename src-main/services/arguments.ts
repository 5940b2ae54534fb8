/** Checks of arguments arriving from a window or a network client before a service uses them. */
import { InvalidRequestError } from '../common/errors';
import { describeValue } from '../common/validation';

export function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidRequestError(`${name}: expected a non-empty text, got ${describeValue(value)}.`);
  }
  return value;
}

export function requireObject<T extends object>(value: unknown, name: string): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidRequestError(`${name}: expected an object, got ${describeValue(value)}.`);
  }
  return value as T;
}
