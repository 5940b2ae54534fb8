// Boots a worker from the TypeScript sources (CLI, tests): registers tsx, then loads the entry.
// Bundled builds load the compiled worker directly and never use this file.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
