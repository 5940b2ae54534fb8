/**
 * The CLI's dispatcher: finds the command, parses its arguments, maps the outcome to an exit code
 * (0 success, 1 failure with one sentence on stderr, 2 bad usage). The entry point is `joule.ts`.
 * Commands call the services of the API contract, as the window does; the services (and Joule's
 * science behind them) load only when a command first needs them.
 */
import { JouleError } from '../../common/errors';
import { printable } from '../../common/printable';
import type { Runtime } from '../../services';
import { UsageError, type CliContext, type Command, type RuntimeOptions } from './command';
import { queueRuntime } from './queue-option';
import { calibrateCommand } from './commands/calibrate';
import { devicesCommands } from './commands/devices';
import { energyCommands } from './commands/energy';
import { projectCommands } from './commands/project';
import { planCommands } from './commands/plan';
import { pruneCommands } from './commands/prune';
import { scheduleCommands } from './commands/schedule';
import { serveCommand } from './commands/serve';
import { trainCommands } from './commands/train';
import { workerCommands } from './commands/worker';
import { zooCommands } from './commands/zoo';
import { commandHelp, findCommand, overallHelp, parseCommandArgs } from './parse';
import { dataDir, documentsDir, resourcesDir } from '../paths';

export const commands: Command[] = [...projectCommands, ...devicesCommands, ...zooCommands, ...energyCommands, calibrateCommand, ...trainCommands, ...pruneCommands, ...planCommands, ...scheduleCommands, serveCommand, ...workerCommands];

export async function runCli(argv: string[], io = { out: (t: string) => console.log(t), err: (t: string) => console.error(t) }): Promise<number> {
  const started: { runtime: Promise<Runtime> | null } = { runtime: null };
  // --redis (or JOULE_REDIS_URL): the long jobs of this command go to the job queue.
  let queue: RuntimeOptions = {};
  const context: CliContext = {
    out: io.out,
    err: io.err,
    runtime: (options = {}) => (started.runtime ??= import('../../services').then(({ createRuntime }) => createRuntime({ resourcesDir, dataDir: dataDir(), documentsDir: documentsDir(), ...queue, ...options }))),
    resourcesDir,
  };
  const { command, rest } = findCommand(commands, argv);
  try {
    if (!command) {
      if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
        io.out(overallHelp(commands));
        return argv.length === 0 ? 2 : 0;
      }
      throw new UsageError(`Unknown command "${argv.filter((a) => !a.startsWith('-')).join(' ')}".`);
    }
    const args = parseCommandArgs(command, rest);
    queue = queueRuntime(args);
    if (args.options.help) {
      io.out(commandHelp(command));
      return 0;
    }
    return (await command.run(args, context)) ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      const help = command ? `joule ${command.words.join(' ')} --help` : 'joule --help';
      io.err(`joule: ${error.message} Run '${help}' for usage.`);
      return 2;
    }
    // A message may echo a file name or a value: nothing in it acts on the terminal.
    io.err(`joule: ${printable(error instanceof JouleError || error instanceof Error ? error.message : String(error))}`);
    return 1;
  } finally {
    if (started.runtime) await (await started.runtime).close();
  }
}
