/** Entry of Joule's job workers. */
import { handlers } from './handlers';
import { runWorker } from './worker-runtime';

runWorker(handlers);
