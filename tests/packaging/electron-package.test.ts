/**
 * What `npm run package` needs, checked without packaging (electron-builder cannot download
 * Electron here, nor run it): the build contains every worker entry and the files the main
 * process loads; every module a worker imports loads from the unpacked-asar layout, including
 * onnxruntime's native addon; the configured platforms have an onnxruntime binary; the
 * electron-builder configuration validates against electron-builder's own schema, fuses included.
 *
 * The test builds into a temporary folder with electron-vite (a few seconds), so it neither needs
 * nor touches out/. The probe runs on this machine's Node, not Electron's: it checks files and
 * module resolution, which are the same; Electron's own asar handling is not simulated (workers
 * never read from app.asar, see src-main/app/asar-paths.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronBundleDir } from '../../src-main/app/asar-paths';
import { FASHION_MNIST_PACKAGE } from '../../src-main/core/train/data/fashion-mnist';
import { MNIST_PACKAGE } from '../../src-main/core/train/data/mnist';
import { workerEntries } from '../../src-main/core/workers/entries';
import { closureOf, layOutUnpacked, packageOf, readBuilderConfig, repoRoot, unpackPatterns, unpackedFolder } from './layout';

const require = createRequire(import.meta.url);
const config = readBuilderConfig();
let scratch = '';
let outDir = '';

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'joule-package-'));
  outDir = path.join(scratch, 'out');
  const started = performance.now();
  execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', outDir, '--logLevel', 'error'], {
    cwd: repoRoot,
    stdio: 'pipe',
  });
  // Measured: 3-9 s on the 2-core development machine.
  console.info(`electron-vite build took ${((performance.now() - started) / 1000).toFixed(1)} s`);
}, 120_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the built output', () => {
  it('contains every worker entry, and every worker is started through the list of entries', () => {
    for (const name of Object.keys(workerEntries)) expect(existsSync(path.join(outDir, 'main', `${name}.js`)), `out/main/${name}.js`).toBe(true);
    // A `new Worker` outside core/workers/start.ts would start a file the list (and so the build) may not know.
    const sites = execFileSync('grep', ['-rln', '--include=*.ts', 'new Worker(', 'src-main'], { cwd: repoRoot, encoding: 'utf8' }).trim().split('\n');
    expect(sites).toEqual(['src-main/core/workers/start.ts']);
  });

  it('contains the entry, preload and page the main process loads, and declares ES modules beside the workers', () => {
    const main = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { main: string };
    expect(main.main).toBe('out/main/index.js');
    expect(existsSync(path.join(outDir, 'main/index.js'))).toBe(true);
    const index = readFileSync(path.join(outDir, 'main/index.js'), 'utf8');
    for (const file of ['../preload/index.cjs', '../renderer/index.html']) {
      expect(index, `main/index.js names ${file}`).toContain(`"${file}"`);
      expect(existsSync(path.join(outDir, 'main', file)), file).toBe(true);
    }
    expect(JSON.parse(readFileSync(path.join(outDir, 'main/package.json'), 'utf8'))).toEqual({ type: 'module' });
  });

  it('keeps Electron out of the workers', () => {
    for (const name of Object.keys(workerEntries)) {
      const { bare } = closureOf(path.join(outDir, 'main', `${name}.js`));
      expect(bare.filter((specifier) => packageOf(specifier) === 'electron'), name).toEqual([]);
    }
  });
});

describe('the unpacked-asar layout', () => {
  it('loads every module each worker imports, and the dataset packages training locates, from app.asar.unpacked', () => {
    const patterns = unpackPatterns(config);
    expect(patterns).toContain('out/main/**');
    const root = path.join(scratch, 'Joule');
    const unpacked = layOutUnpacked(root, outDir, patterns);
    // The folder the Electron host computes for the workers (main.ts sets JOULE_BUNDLE_DIR to it).
    const bundleDir = electronBundleDir(path.join(root, 'resources', 'app.asar', 'out', 'main'));
    expect(bundleDir).toBe(path.join(unpacked, 'out', 'main'));

    const imports = new Set<string>();
    const located = new Set<string>();
    for (const name of Object.keys(workerEntries)) {
      const closure = closureOf(path.join(bundleDir, `${name}.js`));
      for (const specifier of closure.bare) imports.add(specifier);
      // core/train/data/package-source.ts resolves `${packageName}/package.json` at run time.
      if (closure.files.some((file) => readFileSync(file, 'utf8').includes('/package.json`)'))) {
        located.add(FASHION_MNIST_PACKAGE);
        located.add(MNIST_PACKAGE);
      }
    }
    expect([...imports].map(packageOf)).toEqual(expect.arrayContaining(['onnxruntime-node', 'highs']));
    expect(located.size).toBe(2);

    const probe = path.join(bundleDir, '__probe.mjs');
    writeFileSync(probe, probeSource);
    const run = spawnSync(process.execPath, ['--preserve-symlinks', probe, JSON.stringify({ imports: [...imports].sort(), located: [...located].sort() })], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const results = JSON.parse(run.stdout) as Record<string, { ok: boolean; at?: string; error?: string }>;
    const failures = Object.entries(results).filter(([, result]) => !result.ok || !result.at?.startsWith(unpacked));
    expect(failures.map(([what, result]) => `${what}: ${result.error ?? `loaded from ${result.at}, outside app.asar.unpacked`}`)).toEqual([]);
    // The native addon itself came from the unpacked onnxruntime-node folder.
    const binding = results['native:onnxruntime_binding.node'];
    expect(binding?.at).toBe(path.join(unpacked, `node_modules/onnxruntime-node/bin/napi-v${napiVersion()}/${process.platform}/${process.arch}/onnxruntime_binding.node`));
  }, 60_000);

  it('has an onnxruntime binary, unpacked, for every platform and architecture it packages', () => {
    const folders = unpackPatterns(config).map(unpackedFolder);
    expect(folders).toContain('node_modules/onnxruntime-node');
    const targets = { linux: config.linux, mac: config.mac, win: config.win } as const;
    const platformOf = { linux: 'linux', mac: 'darwin', win: 'win32' } as const;
    const checked: string[] = [];
    for (const [key, options] of Object.entries(targets) as [keyof typeof targets, (typeof targets)[keyof typeof targets]][]) {
      const list = options?.target == null ? [] : Array.isArray(options.target) ? options.target : [options.target];
      expect(list.length, `${key}.target`).toBeGreaterThan(0);
      for (const target of list) {
        // A target without explicit architectures builds for the packaging machine's: name them.
        expect(typeof target === 'object' && target.arch, `${key}.target ${JSON.stringify(target)} names its architectures`).toBeTruthy();
        const arches = typeof target === 'object' && target.arch ? (Array.isArray(target.arch) ? target.arch : [target.arch]) : [];
        for (const arch of arches) {
          const binary = `node_modules/onnxruntime-node/bin/napi-v${napiVersion()}/${platformOf[key]}/${arch}/onnxruntime_binding.node`;
          expect(existsSync(path.join(repoRoot, binary)), binary).toBe(true);
          checked.push(`${platformOf[key]}/${arch}`);
        }
      }
    }
    expect(checked).toEqual(expect.arrayContaining(['linux/x64', 'darwin/arm64', 'win32/x64']));
  });
});

describe('build/electron-builder.yml', () => {
  const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
  // The options electron-builder validates with (app-builder-lib/out/util/config/schemaValidator.js).
  const validate = new Ajv({ allErrors: true, coerceTypes: true, strict: false }).compile(schema);

  it("validates against electron-builder's JSON schema", () => {
    const valid = validate(structuredClone(config));
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('is checked by a schema strict enough to catch a misspelt fuse', () => {
    expect(validate({ ...structuredClone(config), electronFuses: { runAsNod: false } })).toBe(false);
  });

  it('flips the fuses docs/security.md lists', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });
});

/** The N-API folder onnxruntime-node loads its addon from, read from its own loader. */
function napiVersion(): string {
  const loader = readFileSync(path.join(repoRoot, 'node_modules/onnxruntime-node/dist/binding.js'), 'utf8');
  const match = /bin\/napi-v(\d+)\/\$\{process\.platform\}\/\$\{process\.arch\}\/onnxruntime_binding\.node/.exec(loader);
  if (!match) throw new Error("onnxruntime-node's dist/binding.js no longer loads bin/napi-v<N>/<platform>/<arch>/onnxruntime_binding.node: update this test.");
  return match[1];
}

/** Runs inside the layout, at a worker's path: imports each module and reports where it came from. */
const probeSource = `
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
const { imports, located } = JSON.parse(process.argv[2]);
const require = createRequire(import.meta.url);
const results = {};
for (const specifier of imports) {
  try {
    // The bundles read package files (x/package.json) through createRequire, modules through import.
    if (specifier.endsWith('.json')) {
      results[specifier] = { ok: true, at: require.resolve(specifier) };
      continue;
    }
    const at = fileURLToPath(import.meta.resolve(specifier));
    const module = await import(specifier);
    // highs finds its WebAssembly file beside itself when first called.
    if (specifier === 'highs') await module.default();
    results[specifier] = { ok: true, at };
  } catch (error) {
    results[specifier] = { ok: false, error: error.message.split('\\n')[0] };
  }
}
for (const name of located) {
  try {
    results[name + '/package.json'] = { ok: true, at: require.resolve(name + '/package.json') };
  } catch (error) {
    results[name + '/package.json'] = { ok: false, error: error.message.split('\\n')[0] };
  }
}
const addon = Object.keys(require.cache).find((file) => file.endsWith('onnxruntime_binding.node'));
results['native:onnxruntime_binding.node'] = addon ? { ok: true, at: addon } : { ok: false, error: 'onnxruntime_binding.node was not loaded' };
process.stdout.write(JSON.stringify(results));
`;
