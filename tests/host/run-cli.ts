/** `joule ...` in this process, its stdout and stderr collected: what the CLI tests assert on. */
import { runCli } from '../../src-main/host/cli/main';

export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string; sentence: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  // Progress lines go to stderr before the closing sentence of a failure.
  return { code, out: out.join('\n'), err: err.join('\n'), sentence: err.at(-1) ?? '' };
}
