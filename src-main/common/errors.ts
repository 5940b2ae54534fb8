/**
 * Joule's error types. Errors cross every host boundary (IPC, HTTP, worker messages) as
 * `SerializedError` and are re-created on the other side as the same class, so the window can
 * tell a bad project file from a cancelled job without parsing messages.
 */
import { printable } from './printable';
import type { ValidationProblem } from './validation';

export interface SerializedError {
  name: string;
  message: string;
  details?: unknown;
}

export class JouleError extends Error {
  override name = 'JouleError';
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** A project file that cannot be read, parsed, validated or written. */
export class ProjectFileError extends JouleError {
  override name = 'ProjectFileError';
  constructor(
    message: string,
    readonly problems: ValidationProblem[] = [],
  ) {
    super(message, problems.length ? { problems } : undefined);
  }
}

/** Bad input to a service call (a caller bug or a user typo), with the field named. */
export class InvalidRequestError extends JouleError {
  override name = 'InvalidRequestError';
}

/** Something the caller asked for does not exist: a file, a device type, a job. */
export class NotFoundError extends JouleError {
  override name = 'NotFoundError';
}

/** A job failed, crashed or hung in its worker. */
export class JobFailedError extends JouleError {
  override name = 'JobFailedError';
}

/** A job stopped because someone cancelled it. */
export class JobCancelledError extends JouleError {
  override name = 'JobCancelledError';
}

/**
 * The job pool refused a job because too many wait already: the message names the limit. Nothing
 * was started; the caller may try again once some work has finished.
 */
export class JobQueueFullError extends JouleError {
  override name = 'JobQueueFullError';
}

/**
 * A path outside what this host may touch: the browser host confines every file it lists, reads
 * or writes to its workspace root. The message names the path and the root.
 */
export class AccessDeniedError extends JouleError {
  override name = 'AccessDeniedError';
}

/** The host cannot do this (a native dialog in the browser host, say). */
export class UnsupportedError extends JouleError {
  override name = 'UnsupportedError';
}

/**
 * A placement problem that cannot be read, compiled or solved: a bad problem file, a GAP file
 * that does not follow the OR-Library format, an option out of range. The message names the
 * file, the JSON path or the option at fault.
 */
export class ScheduleError extends JouleError {
  override name = 'ScheduleError';
}

/**
 * The job queue (Redis, for BullMQ) cannot be reached, or answered something Joule cannot use.
 * The message names the queue's address without its password; nothing was submitted.
 */
export class QueueUnavailableError extends JouleError {
  override name = 'QueueUnavailableError';
}

/** A file of the device library is invalid. */
export class DeviceLibraryError extends JouleError {
  override name = 'DeviceLibraryError';
}

const errorClasses: Record<string, new (message: string, details?: never) => JouleError> = {
  JouleError,
  InvalidRequestError,
  NotFoundError,
  JobFailedError,
  JobCancelledError,
  JobQueueFullError,
  UnsupportedError,
  AccessDeniedError,
  DeviceLibraryError,
  ScheduleError,
  QueueUnavailableError,
};

/**
 * The error as it crosses a boundary. Messages may echo a file name or a value from a request, so
 * escape sequences and control characters are neutralised here, once for every host.
 */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof JouleError) {
    return error.details === undefined
      ? { name: error.name, message: printable(error.message) }
      : { name: error.name, message: printable(error.message), details: error.details };
  }
  if (error instanceof Error) return { name: 'Error', message: printable(error.message) };
  return { name: 'Error', message: printable(String(error)) };
}

/** Re-creates the typed error on the receiving side of a boundary. */
export function deserializeError(e: SerializedError): Error {
  if (e.name === 'ProjectFileError') {
    const problems = (e.details as { problems?: ValidationProblem[] } | undefined)?.problems ?? [];
    return new ProjectFileError(e.message, problems);
  }
  const Cls = errorClasses[e.name];
  if (Cls) return new Cls(e.message, e.details as never);
  // Domain errors defined outside common (OnnxError in core/onnx, ...) keep their name.
  const named = new JouleError(e.message, e.details);
  named.name = e.name;
  return named;
}
