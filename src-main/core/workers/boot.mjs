// Boots a worker from the TypeScript sources (CLI, tests, benches): registers tsx, then loads the
// entry named in workerData. Bundled builds start the compiled worker directly (start.ts).
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
