/**
 * What a queue worker and a submitter refuse: inputs whose bytes fail their hash, names that would
 * write outside the worker's cache, files a worker sends back that the job does not write; and a
 * Redis that does not answer, said in a sentence that never shows its password.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueUnavailableError } from '../../src-main/common/errors';
import { cli } from '../host/run-cli';
import { BlobStore } from '../../src-main/jobs/queue/blob-store';
import { checkReachable, redactedUrl } from '../../src-main/jobs/queue/connection';
import { blobKey } from '../../src-main/jobs/queue/names';
import { landOutput, packInput, unpackInput } from '../../src-main/jobs/queue/travel';
import { QueueExecutor } from '../../src-main/jobs/queue/queue-executor';
import type { JouleJobs } from '../../src-main/jobs/catalog';
import { freePort, REDIS_SERVER, selfSignedCertificate, startRedis, type RedisServer } from './redis-server';

describe('an unreachable queue', () => {
  it('fails the job with a sentence naming the URL without its password, and exit code 1', async () => {
    process.env.JOULE_HOME = mkdtempSync(path.join(os.tmpdir(), 'joule-queue-down-'));
    const port = await freePort();
    const url = `redis://:hunter2@127.0.0.1:${port}`;
    const sample = path.resolve(import.meta.dirname, '..', '..', 'resources', 'sample', 'sample.joule');
    const { code, err } = await cli('schedule', sample, '--redis', url, '--max-iterations', '5', '--json');
    expect(code).toBe(1);
    expect(err).toMatch(new RegExp(`^joule: Joule could not reach the job queue at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port} \\(.*ECONNREFUSED.*\\)\\. Start Redis there or check the URL, password and TLS setting; the jobs can run on this computer instead\\.$`));
    expect(err).not.toContain('hunter2');
    await expect(checkReachable(url)).rejects.toBeInstanceOf(QueueUnavailableError);
    expect(redactedUrl('rediss://user:pw@host:6380/2')).toBe('rediss://user:***@host:6380/2');
    expect(redactedUrl('redis://host:6379/0?password=hunter2&db=1')).toBe('redis://host:6379/0?password=***&db=1');
  }, 30_000);

  it.skipIf(!REDIS_SERVER)('fails a job it follows as unavailable when Redis stops answering, keeping its request to run here', async () => {
    const server = await startRedis();
    const executor = new QueueExecutor<JouleJobs>({ url: server.url, silenceMs: 2_000 });
    try {
      const problem = { nodes: [], workloads: [] } as never;
      const { id, done } = executor.start('placement.run', { problem, algo: 'greedy', settings: {} }, { title: 'Place nothing' });
      await new Promise((r) => setTimeout(r, 1_000));
      expect(executor.get(id).progress.message).toBe('Waiting for a queue worker');
      await server.stop();
      await expect(done).rejects.toMatchObject({ name: 'QueueUnavailableError', message: expect.stringMatching(/^The job queue at redis:\/\/127\.0\.0\.1:\d+ stopped answering while Place nothing was waiting/) });
      expect(executor.takeUnsent(id)).toMatchObject({ kind: 'placement.run', title: 'Place nothing' });
    } finally {
      await executor.close();
      await server.stop();
    }
  }, 30_000);

  it.skipIf(!REDIS_SERVER)('speaks TLS to a rediss:// queue, trusting a private CA named by JOULE_REDIS_CA', async () => {
    const tlsDir = mkdtempSync(path.join(os.tmpdir(), 'joule-tls-'));
    const server = await startRedis({ password: 'pw', tls: selfSignedCertificate(tlsDir) });
    try {
      expect(server.url).toMatch(/^rediss:/);
      await expect(checkReachable(server.url)).rejects.toThrow(/could not reach the job queue at rediss:\/\/:\*\*\*@127\.0\.0\.1:\d+ \(self-signed certificate\)/);
      process.env.JOULE_REDIS_CA = path.join(tlsDir, 'cert.pem');
      await checkReachable(server.url);
      const { code, out } = await cli('workers', '--redis', server.url, '--json');
      expect(code).toBe(0);
      expect(JSON.parse(out)).toEqual([]);
    } finally {
      delete process.env.JOULE_REDIS_CA;
      await server.stop();
    }
  }, 30_000);

  it('refuses a URL that is not redis:// or rediss:// as bad usage of the worker', async () => {
    const bad = await cli('worker', '--redis', 'http://127.0.0.1:6379');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^joule: redis: expected a redis:\/\/ or rediss:\/\/ URL, got http:\/\//);
  });
});

describe.skipIf(!REDIS_SERVER)('what travels is checked', () => {
  let server: RedisServer;
  let redis: Redis;
  let store: BlobStore;
  let dir: string;

  beforeAll(async () => {
    server = await startRedis({ password: 'correct horse' });
    redis = new Redis(server.url);
    store = new BlobStore(redis);
    dir = mkdtempSync(path.join(os.tmpdir(), 'joule-travel-'));
  });

  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  const dirs = () => ({ cacheDir: path.join(dir, 'cache'), jobDir: path.join(dir, 'cache', 'jobs', String(Math.random()).slice(2)) });

  it('carries a model and its card by hash, and lands the output where the local request asked', async () => {
    const model = path.join(dir, 'net.onnx');
    writeFileSync(model, 'model bytes');
    writeFileSync(path.join(dir, 'net.json'), '{"card":true}');
    const request = { model: { path: 'net.onnx', baseDir: dir }, dataset: 'fashion-mnist', deviceId: 'raspberry-pi-4', budget: { fraction: 0.5 }, out: path.join(dir, 'out', 'small.onnx') };
    const { packed, blobs } = await packInput('prune.run', request, store);
    expect(blobs).toHaveLength(2);
    expect(JSON.stringify(packed)).not.toContain(path.join(dir, 'out'));
    const where = dirs();
    const { input } = await unpackInput('prune.run', packed, store, where);
    const local = input as typeof request;
    expect(path.join(local.model.baseDir, local.model.path)).toBe(path.join(where.cacheDir, 'models', `${blobs[0].slice(0, 32)}-${blobs[1].slice(0, 32)}`, 'net.onnx'));
    expect(existsSync(path.join(local.model.baseDir, 'net.json'))).toBe(true);
    expect(local.out).toBe(path.join(where.jobDir, 'small.onnx'));

    const outBlob = await store.put(Buffer.from('pruned'), 'small.onnx', 60);
    (await import('node:fs')).mkdirSync(path.join(dir, 'out'), { recursive: true });
    const landed = await landOutput('prune.run', { result: { out: 'joule-out:small.onnx' }, files: [{ name: 'small.onnx', blob: outBlob }] }, request, store);
    expect(landed).toEqual({ out: path.join(dir, 'out', 'small.onnx') });
    await expect(landOutput('prune.run', { result: {}, files: [{ name: 'evil.sh', blob: outBlob }] }, request, store)).rejects.toThrow(/sent back "evil\.sh", which this job does not write/);
    // The report's paths and hash are the submitter's own, whatever the worker wrote in them.
    const forged = await landOutput('prune.run', { result: { out: '/etc/passwd', card: '/etc/shadow', sha256: 'f'.repeat(64) }, files: [{ name: 'small.onnx', blob: outBlob }] }, request, store);
    expect(forged).toEqual({ out: path.join(dir, 'out', 'small.onnx'), sha256: outBlob });
    await expect(landOutput('prune.run', { result: { out: 'joule-out:small.onnx' }, files: [] }, request, store)).rejects.toThrow(/reported small\.onnx written but sent no such file back/);
  });

  it('carries an image folder file by file, rebuilt under one folder per listing', async () => {
    const images = path.join(dir, 'flowers');
    for (const [cls, name, bytes] of [['daisy', '1.png', 'a'], ['tulip', '2.png', 'b'], ['tulip', '3.png', 'c']]) {
      (await import('node:fs')).mkdirSync(path.join(images, cls), { recursive: true });
      writeFileSync(path.join(images, cls, name), bytes);
    }
    writeFileSync(path.join(images, '.DS_Store'), 'hidden');
    const { packed, blobs } = await packInput('train.run', { model: 'zoo:lenet5', dataset: { folder: images }, epochs: 1, out: path.join(dir, 'f.onnx') }, store);
    expect(blobs).toHaveLength(3);
    const { input } = await unpackInput('train.run', packed, store, dirs());
    const root = (input as { dataset: { folder: string } }).dataset.folder;
    expect(root.startsWith(path.join(dir, 'cache', 'folders'))).toBe(true);
    expect(readdirSync(root).sort()).toEqual(['daisy', 'tulip']);
    expect((await import('node:fs')).readFileSync(path.join(root, 'tulip', '3.png'), 'utf8')).toBe('c');
  });

  it('refuses an input whose bytes fail their hash', async () => {
    const model = path.join(dir, 'tampered.onnx');
    writeFileSync(model, 'original bytes');
    const { packed, blobs } = await packInput('train.run', { model, dataset: 'mnist', epochs: 1, out: path.join(dir, 't.onnx') }, store);
    await redis.set(blobKey(blobs[0]), 'something else');
    await expect(unpackInput('train.run', packed, store, dirs())).rejects.toMatchObject({ name: 'BlobHashError', message: expect.stringMatching(/failed its sha256 check/) });
  });

  it('refuses names that would write outside the worker cache', async () => {
    const packedOut = { model: 'zoo:lenet5', dataset: 'mnist', epochs: 1, out: '../../escape.onnx' };
    await expect(unpackInput('train.run', packedOut, store, dirs())).rejects.toThrow(/out: "\.\.\/\.\.\/escape\.onnx" is not a plain file name/);
    const packedDevice = { model: { zoo: 'lenet5' }, dataset: 'mnist', deviceId: '/etc/passwd', budget: { fraction: 0.5 }, out: 'x.onnx' };
    await expect(unpackInput('prune.run', packedDevice, store, dirs())).rejects.toThrow(/deviceId: "\/etc\/passwd" is neither a library id nor a profile sent with the job/);
    const blob = await store.put(Buffer.from('png'), 'image', 60);
    const packedFolder = { model: 'zoo:lenet5', dataset: { folder: [{ path: 'cats/../../../etc/cron', blob }], origin: 'x' }, epochs: 1, out: 'x.onnx' };
    await expect(unpackInput('train.run', packedFolder, store, dirs())).rejects.toThrow(/is not a plain file name/);
    expect(readdirSync(dir)).not.toContain('escape.onnx');
  });
});
