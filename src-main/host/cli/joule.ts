/** `joule`: every capability without a window. `npm run -s joule -- <command> [--help]`. */
import { runCli } from './main';

process.exitCode = await runCli(process.argv.slice(2));
