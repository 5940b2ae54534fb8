/**
 * The CLI's command model. A command declares its words, arguments and options; `main.ts` parses
 * argv against that declaration (so `--help` and usage errors come for free) and maps outcomes to
 * exit codes: 0 success, 1 failure, 2 bad usage. Commands reach Joule only through the services
 * of the API contract, as the window does.
 */
import os from 'node:os';
import { formatLimit, MAX_TIME_LIMIT_S } from '../../common/limits';
import type { Runtime, ServiceOptions } from '../../services';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** May be given several times; its value is then a list. */
  multiple?: boolean;
  description: string;
  /** Placeholder shown in help for string options: `--port N`. */
  placeholder?: string;
}

export interface PositionalSpec {
  name: string;
  description: string;
  optional?: boolean;
}

export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | boolean | string[] | undefined>;
  json: boolean;
}

/** What a command may choose about the runtime; the first call to `runtime()` decides. */
export type RuntimeOptions = Pick<ServiceOptions, 'fileAccess' | 'queue'>;

export interface CliContext {
  out(text: string): void;
  err(text: string): void;
  /** The services and their events; services are built on first use, so `--help` and simple commands start fast. */
  runtime(options?: RuntimeOptions): Promise<Runtime>;
  /** The app's resources folder. */
  resourcesDir: string;
}

export interface Command {
  /** Words after `joule`: `['project', 'check']`. */
  words: string[];
  summary: string;
  /** Paragraphs shown by `--help` after the summary (what the command guarantees, its defaults). */
  details?: string;
  positionals: PositionalSpec[];
  options: Record<string, OptionSpec>;
  /** Returns the exit code (default 0); print through `context`, never return its result. */
  run(args: ParsedArgs, context: CliContext): Promise<number | void>;
}

/** Bad usage: exit code 2 and a pointer to `--help`. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Parses a number option, naming the option when it is not one; `min` is inclusive. */
export function numberOption(args: ParsedArgs, name: string, limits: { min?: number; max?: number; integer?: boolean; why?: string } = {}): number | undefined {
  const raw = args.options[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(value)) {
    throw new UsageError(`--${name} expects a number, got "${String(raw)}".`);
  }
  if (limits.integer && !Number.isInteger(value)) throw new UsageError(`--${name} expects a whole number, got ${value}.`);
  if (limits.min !== undefined && value < limits.min) throw new UsageError(`--${name} must be at least ${limits.min}, got ${value}.`);
  if (limits.max !== undefined && value > limits.max) {
    throw new UsageError(`--${name} must be at most ${formatLimit(limits.max)}${limits.why ? ` (${limits.why})` : ''}, got ${value}.`);
  }
  return value;
}

/** `--threads N`: from 1 to this computer's cores (docs/limits.md); 1000 threads grew past 8 GB. */
export function threadsOption(args: ParsedArgs): number | undefined {
  return numberOption(args, 'threads', { min: 1, max: os.availableParallelism(), integer: true, why: 'the cores of this computer' });
}

/** `--time-limit S`: from 0 to one day (docs/limits.md). */
export function timeLimitOption(args: ParsedArgs): number | undefined {
  return numberOption(args, 'time-limit', { min: 0, max: MAX_TIME_LIMIT_S, why: 'one day' });
}

/** A number option that must be given. */
export function requiredNumberOption(args: ParsedArgs, name: string, placeholder: string, limits: { min?: number; max?: number; integer?: boolean; why?: string } = {}): number {
  const value = numberOption(args, name, limits);
  if (value === undefined) throw new UsageError(`Missing --${name} ${placeholder}.`);
  return value;
}

/** A string option restricted to `choices`. */
export function choiceOption<T extends string>(args: ParsedArgs, name: string, choices: readonly T[], fallback: T): T {
  const raw = args.options[name];
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !(choices as readonly string[]).includes(raw)) {
    throw new UsageError(`--${name} expects ${choices.join(', ')}, got "${String(raw)}".`);
  }
  return raw as T;
}

/** A string option, or undefined when absent. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const raw = args.options[name];
  return typeof raw === 'string' ? raw : undefined;
}

/** A required string option. */
export function requiredOption(args: ParsedArgs, name: string, placeholder: string): string {
  const raw = stringOption(args, name);
  if (raw === undefined) throw new UsageError(`Missing --${name} ${placeholder}.`);
  return raw;
}
