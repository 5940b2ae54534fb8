/**
 * A device profile for the machine Joule runs on, from micro-benchmarks run with
 * onnxruntime-node: the fp32 GEMM rate as peak throughput (the faster of a MatMul and of a 3x3
 * convolution, which onnxruntime also runs as blocked GEMM) and the rate of a streaming
 * element-wise chain as memory bandwidth. Each is the fastest of many short runs, so a busy
 * machine still yields its unloaded rate when it has a quiet moment. Caches come from Linux sysfs, RAM from the
 * OS. There is no power sensor to read, so power and energy figures are labelled estimates
 * (replace them by `calibrateProfile` with measured energy).
 *
 * `session.run()` blocks its thread (docs/DESIGN.md): call this from a worker, not the main
 * thread of a window or server. It takes a few seconds.
 */
import { readFileSync, readdirSync, statfsSync } from 'node:fs';
import os from 'node:os';
import * as ort from 'onnxruntime-node';
import type { DeviceProfile, Figure } from '../../common/devices/profile';
import { GraphBuilder } from '../onnx/builder';
import { openSession } from '../onnx/session';
import { encodeOnnx } from '../onnx/write';
import { libraryMemoryEnergy } from './library-method';

export interface HostBenchmarkOptions {
  /** onnxruntime intra-op threads (default: every core). */
  threads?: number;
  /** Square MatMul size (default 512: 134 M MACs, a few ms). */
  gemmSize?: number;
  /** Size of the streamed tensor in MiB (default 64, well past the caches). */
  streamMiB?: number;
  /** Timed runs per benchmark; the fastest counts (default 20). */
  repeats?: number;
}

export interface HostMeasurements {
  /** The faster of the MatMul and the convolution. */
  gemmMacsPerSecond: number;
  matMulMacsPerSecond: number;
  convMacsPerSecond: number;
  bandwidthBytesPerSecond: number;
  threads: number;
}

async function fastestRun(model: Uint8Array, feeds: Record<string, ort.Tensor>, threads: number, repeats: number): Promise<number> {
  const session = await openSession(model, { threads });
  try {
    await session.run(feeds); // warm-up: allocations, thread pool start
    let best = Infinity;
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      await session.run(feeds);
      best = Math.min(best, performance.now() - t0);
    }
    return best / 1e3;
  } finally {
    await session.release();
  }
}

/** Runs the two micro-benchmarks. */
export async function measureHost(options: HostBenchmarkOptions = {}): Promise<HostMeasurements> {
  const threads = options.threads ?? os.cpus().length;
  const repeats = options.repeats ?? 20;
  const n = options.gemmSize ?? 512;
  const gemm = new GraphBuilder(13);
  gemm.output(gemm.op('MatMul', [gemm.input('a', [n, n]), gemm.input('b', [n, n])]));
  const square = () => new ort.Tensor('float32', new Float32Array(n * n).fill(0.5), [n, n]);
  const gemmS = await fastestRun(encodeOnnx(gemm.model), { a: square(), b: square() }, threads, repeats);

  // A 3x3 convolution, 128 -> 128 channels at 28x28 (116 M MACs), as CNN layers run.
  const [c, hw] = [128, 28];
  const conv = new GraphBuilder(13);
  const image = conv.input('x', [1, c, hw, hw]);
  conv.output(conv.op('Conv', [image, conv.weight('w', [c, c, 3, 3])], { pads: [1, 1, 1, 1] }));
  const convFeed = new ort.Tensor('float32', new Float32Array(c * hw * hw).fill(0.5), [1, c, hw, hw]);
  const convS = await fastestRun(encodeOnnx(conv.model), { x: convFeed }, threads, repeats);
  const convMacs = c * c * 9 * hw * hw;

  // x -> Relu -> Relu -> ReduceMax streams the tensor 5 times (3 reads, 2 writes) and returns
  // one number, so no large output is copied back to JavaScript.
  const elements = ((options.streamMiB ?? 64) * 1024 * 1024) / 4;
  const stream = new GraphBuilder(13);
  const x = stream.input('x', [elements]);
  stream.output(stream.op('ReduceMax', [stream.op('Relu', [stream.op('Relu', [x])])], { keepdims: 0 }));
  const feed = new ort.Tensor('float32', new Float32Array(elements).fill(1), [elements]);
  const streamS = await fastestRun(encodeOnnx(stream.model), { x: feed }, threads, Math.min(repeats, 10));
  const matMulMacsPerSecond = (n * n * n) / gemmS;
  const convMacsPerSecond = convMacs / convS;
  return {
    gemmMacsPerSecond: Math.max(matMulMacsPerSecond, convMacsPerSecond),
    matMulMacsPerSecond,
    convMacsPerSecond,
    bandwidthBytesPerSecond: (5 * elements * 4) / streamS,
    threads,
  };
}

/** Sizes of the CPU caches in KB, by level, from Linux sysfs; empty elsewhere. */
function cacheSizesKB(): Map<number, number> {
  const out = new Map<number, number>();
  const dir = '/sys/devices/system/cpu/cpu0/cache';
  try {
    for (const entry of readdirSync(dir)) {
      if (!entry.startsWith('index')) continue;
      const type = readFileSync(`${dir}/${entry}/type`, 'utf8').trim();
      if (type === 'Instruction') continue;
      const level = Number(readFileSync(`${dir}/${entry}/level`, 'utf8'));
      const size = readFileSync(`${dir}/${entry}/size`, 'utf8').trim();
      const kb = size.endsWith('M') ? Number(size.slice(0, -1)) * 1024 : Number(size.replace(/K$/, ''));
      if (Number.isFinite(kb)) out.set(level, kb);
    }
  } catch {
    // Not Linux, or sysfs hidden: the caller falls back to an estimate.
  }
  return out;
}

function hasAvx512(): boolean {
  try {
    return /\bavx512f\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false;
  }
}

const MEASURED = 'Measured by Joule with onnxruntime-node (measureHostProfile)';

function fig(value: number, source: string, note?: string, estimate?: boolean): Figure {
  const f: Figure = { value: Number(value.toPrecision(6)), source };
  if (estimate) f.estimate = true;
  if (note) f.note = note;
  return f;
}

/**
 * Builds the `host` profile from measurements (or measures first). The result validates
 * against the device-library schema, so the caller can cache it as JSON and load it back.
 *
 * @example
 *   const host = await measureHostProfile({ threads: 1 });
 *   await fs.writeFile('host.json', JSON.stringify(host, null, 2));
 */
export async function measureHostProfile(options: HostBenchmarkOptions = {}, measured?: HostMeasurements): Promise<DeviceProfile> {
  const m = measured ?? (await measureHost(options));
  const cpu = os.cpus()[0]?.model.trim() || 'unknown CPU';
  const cores = os.cpus().length;
  const caches = cacheSizesKB();
  const lastLevel = Math.max(0, ...caches.keys());
  const bufferKB = caches.get(lastLevel);
  const rfKB = hasAvx512() ? 2 : 0.5;
  const idleW = 2 * cores;
  const loadedW = idleW + 3.5 * m.threads;
  const tops = (2 * m.gemmMacsPerSecond) / 1e12;
  let storageGB = 0;
  try {
    const s = statfsSync('/');
    storageGB = (s.blocks * s.bsize) / 1e9;
  } catch {
    // Unknown storage is fine: the energy model does not use it.
  }
  const when = new Date().toISOString().slice(0, 10);
  return {
    schemaVersion: 1,
    id: 'host',
    name: `This machine (${cpu})`,
    vendor: 'host',
    computeUnit: `${m.threads} of ${cores} CPU cores (${cpu}), onnxruntime-node CPU`,
    precisions: ['fp32'],
    peakTops: {
      fp32: fig(
        tops,
        `${MEASURED}, ${when}`,
        `Faster of a ${options.gemmSize ?? 512}^3 fp32 MatMul (${(m.matMulMacsPerSecond / 1e9).toFixed(1)} GMAC/s) and a 3x3 128-channel convolution at 28x28 (${(m.convMacsPerSecond / 1e9).toFixed(1)} GMAC/s), ${m.threads} thread(s), fastest of the runs.`,
      ),
    },
    memoryBandwidthGBps: fig(m.bandwidthBytesPerSecond / 1e9, `${MEASURED}, ${when}`, `Relu -> Relu -> ReduceMax over ${options.streamMiB ?? 64} MiB (5 passes) with ${m.threads} threads.`),
    ramMB: fig(os.totalmem() / 1024 / 1024, 'os.totalmem()'),
    storageGB: fig(storageGB, 'statfs of /', undefined, storageGB === 0),
    onChipBufferKB:
      bufferKB !== undefined
        ? fig(bufferKB, 'Linux sysfs /sys/devices/system/cpu/cpu0/cache', `Last-level (L${lastLevel}) cache.`)
        : fig(1024, 'Joule assumption', 'Cache size unknown on this OS; 1 MB assumed.', true),
    registerFileKB: fig(rfKB, 'Joule estimate from the ISA', rfKB === 2 ? '32 AVX-512 registers x 64 B.' : '16 AVX2 registers x 32 B.', true),
    idlePowerW: fig(idleW, 'Joule assumption', `2 W per core (${cores} cores): no power sensor is read; calibrate with measured energy.`, true),
    loadedPowerW: fig(loadedW, 'Joule assumption', `Idle + 3.5 W per busy core (${m.threads}), a server-class per-core figure.`, true),
    energy: {
      macPJ: {
        fp32: fig(((loadedW - idleW) / m.gemmMacsPerSecond) * 1e12, 'Joule derivation from loadedPowerW, idlePowerW and peakTops.fp32', '(loaded - idle) / measured MAC rate.', true),
      },
      ...libraryMemoryEnergy(),
    },
    radios: [{ type: 'ethernet', standard: 'host network', maxUplinkMbps: fig(941, 'Joule assumption (Gigabit Ethernet TCP goodput)', undefined, true) }],
    notes: `Measured on ${when} with ${m.threads} onnxruntime thread(s). Throughput and bandwidth are what onnxruntime reaches, so the 'host' kind factors apply (docs/energy-model.md).`,
  };
}
