/** One description of the machine a benchmark ran on, for the header of every docs/bench-*.md. */
import os from 'node:os';

/** `AMD EPYC, 2 cores, 23.5 GiB RAM, Node v20.20.2, linux 6.1` */
export function machineLine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** `0.52 / 0.80 / 1.10`: the 1, 5 and 15 minute load averages. */
export function loadLine(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(' / ');
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
