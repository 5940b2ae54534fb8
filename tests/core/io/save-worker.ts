/**
 * Child process for the crash test: saves versions of a large project to one path in a loop
 * until it is killed, announcing each save before it starts so the test can kill it mid-write.
 * Set SAVE_MODE=plain to write without the atomic helper (proves the test can fail).
 */
import { open } from 'node:fs/promises';
import { writeFileAtomic } from '../../../src-main/core/io/atomic-write';

const target = process.argv[2];
const plain = process.env.SAVE_MODE === 'plain';
const padding = 'x'.repeat(32 * 1024 * 1024);
/** What a naive save does: truncate the file, then write it piece by piece. */
async function plainWrite(file: string, data: Buffer): Promise<void> {
  const handle = await open(file, 'w');
  for (let at = 0; at < data.length; at += 1 << 20) {
    await handle.write(data.subarray(at, at + (1 << 20)));
    // Yield between chunks, as a streaming writer does: the write spans many event-loop turns.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await handle.close();
}

for (let version = 1; ; version++) {
  const data = Buffer.from(JSON.stringify({ version, padding }));
  process.stdout.write(`saving ${version}\n`);
  if (plain) await plainWrite(target, data);
  else await writeFileAtomic(target, data);
}
