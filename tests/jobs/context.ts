/** A job context for calling a task in the test's own thread: the repository's resources, no progress. */
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import type { JobContext } from '../../src-main/jobs/context';
import type { JobEnvironment } from '../../src-main/jobs/environment';
import { defaultDatasetCacheDir } from '../../src-main/core/train/data/cache';

export const resourcesDir = path.resolve(import.meta.dirname, '../../resources');

export function testEnvironment(overrides: Partial<JobEnvironment> = {}): JobEnvironment {
  return { resourcesDir, dataDir: mkdtempSync(path.join(os.tmpdir(), 'joule-task-')), datasetCacheDir: defaultDatasetCacheDir(), ...overrides };
}

export function testContext(env: JobEnvironment = testEnvironment()): JobContext {
  return {
    env,
    cancelled: false,
    report() {},
    checkpoint() {},
    native: async (fn) => fn(),
  };
}
