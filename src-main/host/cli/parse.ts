/** argv -> command + arguments, and the help text, from the commands' declarations. */
import { parseArgs } from 'node:util';
import { UsageError, type Command, type ParsedArgs } from './command';

/** The command whose words begin argv (the longest match), and the arguments after them. */
export function findCommand(commands: Command[], argv: string[]): { command: Command | null; rest: string[] } {
  let best: Command | null = null;
  for (const command of commands) {
    const matches = command.words.every((w, i) => argv[i] === w);
    if (matches && command.words.length > (best?.words.length ?? 0)) best = command;
  }
  return best ? { command: best, rest: argv.slice(best.words.length) } : { command: null, rest: argv };
}

export function parseCommandArgs(command: Command, argv: string[]): ParsedArgs {
  const options = {
    json: { type: 'boolean' as const },
    help: { type: 'boolean' as const, short: 'h' },
    ...Object.fromEntries(Object.entries(command.options).map(([name, spec]) => [name, { type: spec.type, multiple: spec.multiple === true }])),
  };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(cleanParseMessage((error as Error).message));
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const required = command.positionals.filter((p) => !p.optional);
  if (!values.help) {
    if (parsed.positionals.length < required.length) {
      throw new UsageError(`Missing ${required[parsed.positionals.length].name}.`);
    }
    if (parsed.positionals.length > command.positionals.length) {
      throw new UsageError(`Unexpected argument "${parsed.positionals[command.positionals.length]}".`);
    }
  }
  return { positionals: parsed.positionals, options: values, json: values.json === true };
}

function cleanParseMessage(message: string): string {
  const first = message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '');
  return first.endsWith('.') ? first : `${first}.`;
}

export function usageLine(command: Command): string {
  const positionals = command.positionals.map((p) => (p.optional ? `[${p.name}]` : p.name)).join(' ');
  return ['joule', ...command.words, positionals, '[options]'].filter(Boolean).join(' ');
}

export function commandHelp(command: Command): string {
  const lines = [`Usage: ${usageLine(command)}`, '', command.summary, ''];
  if (command.details) lines.push(command.details, '');
  if (command.positionals.length) {
    lines.push('Arguments:');
    for (const p of command.positionals) lines.push(`  ${p.name.padEnd(22)} ${p.description}`);
    lines.push('');
  }
  lines.push('Options:');
  for (const [name, spec] of Object.entries(command.options)) {
    const flag = spec.type === 'string' ? `--${name} ${spec.placeholder ?? 'VALUE'}` : `--${name}`;
    lines.push(`  ${flag.padEnd(22)} ${spec.description}`);
  }
  lines.push(`  ${'--json'.padEnd(22)} Print machine-readable JSON on stdout.`);
  lines.push(`  ${'-h, --help'.padEnd(22)} Show this help.`);
  return lines.join('\n');
}

export function overallHelp(commands: Command[]): string {
  const lines = ['Joule: energy planning for AI on edge-device fleets.', '', 'Usage: joule <command> [options]', '', 'Commands:'];
  for (const c of commands) lines.push(`  ${c.words.join(' ').padEnd(20)} ${c.summary}`);
  lines.push('', "Run 'joule <command> --help' for a command's arguments and options.");
  return lines.join('\n');
}
