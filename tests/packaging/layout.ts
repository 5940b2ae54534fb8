/**
 * Helpers of the packaging test: read build/electron-builder.yml, follow the imports of the built
 * bundles, and lay out `resources/app.asar.unpacked` the way electron-builder would from the
 * `asarUnpack` patterns, with symlinks instead of copies (the probe runs with
 * --preserve-symlinks, so Node resolves modules by the layout's paths, not the real ones).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import type { Configuration } from 'electron-builder';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

/** build/electron-builder.yml as electron-builder reads it (js-yaml, electron-builder's own parser). */
export function readBuilderConfig(): Configuration {
  const yaml = require('js-yaml') as { load(text: string): unknown };
  return yaml.load(readFileSync(path.join(repoRoot, 'build/electron-builder.yml'), 'utf8')) as Configuration;
}

/** The `asarUnpack` patterns, as a list. */
export function unpackPatterns(config: Configuration): string[] {
  const patterns = config.asarUnpack;
  return patterns == null ? [] : Array.isArray(patterns) ? patterns : [patterns];
}

/**
 * A pattern of the only shape this layout supports, a whole folder: `out/main/**` or
 * `node_modules/<package>/**` (`node_modules/@scope/**` for a whole scope). Returns the folder,
 * or null for any other shape (the test then fails: extend the layout before using it).
 */
export function unpackedFolder(pattern: string): string | null {
  const match = /^((?:out\/[\w.-]+)|(?:node_modules\/(?:@[\w.-]+(?:\/[\w.-]+)?|[\w.-]+)))\/\*\*$/.exec(pattern);
  return match ? match[1] : null;
}

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const specifierShape = /^(?:\.{1,2}\/|@[\w.-]+\/[\w.-]+|[\w.-]+)/;

/** The module specifiers a built ES module names: static and dynamic imports, createRequire calls. */
export function specifiersOf(code: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /(?:^|[;\n}])\s*(?:import|export)\s[^'"`;]*?\bfrom\s*["']([^"']+)["']/g,
    /(?:^|[;\n])\s*import\s*["']([^"']+)["']/g,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /\bcreateRequire\([^)]*\)\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) if (specifierShape.test(match[1])) found.add(match[1]);
  }
  return [...found];
}

/** The npm package a bare specifier names (`@scope/name/sub` -> `@scope/name`), or null for a builtin. */
export function packageOf(specifier: string): string | null {
  if (builtins.has(specifier) || builtins.has(specifier.split('/')[0])) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export interface Closure {
  /** The bundle files the entry loads, statically or lazily. */
  files: string[];
  /** The bare specifiers those files import (packages and package files, no builtins). */
  bare: string[];
}

/** Every bundle file reachable from `entry` through relative imports, and the packages they import. */
export function closureOf(entry: string): Closure {
  const files = new Set<string>();
  const bare = new Set<string>();
  const pending = [entry];
  while (pending.length) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of specifiersOf(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) {
        const target = path.resolve(path.dirname(file), specifier);
        if (!existsSync(target)) throw new Error(`'${path.basename(file)}' imports '${specifier}', which the build did not produce.`);
        pending.push(target);
      } else if (packageOf(specifier) !== null) {
        bare.add(specifier);
      }
    }
  }
  return { files: [...files], bare: [...bare] };
}

/**
 * Lays out `<root>/resources/app.asar.unpacked` for the built `outDir`: each file of an unpacked
 * out/ folder and each unpacked node_modules folder becomes a symlink at its packaged path.
 * Returns the unpacked folder.
 */
export function layOutUnpacked(root: string, outDir: string, patterns: string[]): string {
  const unpacked = path.join(root, 'resources', 'app.asar.unpacked');
  for (const pattern of patterns) {
    const folder = unpackedFolder(pattern);
    if (!folder) throw new Error(`asarUnpack pattern '${pattern}' is not a whole folder ('out/<dir>/**' or 'node_modules/<package>/**'); teach tests/packaging/layout.ts its shape.`);
    if (folder.startsWith('out/')) {
      const from = path.join(outDir, folder.slice('out/'.length));
      const to = path.join(unpacked, folder);
      mkdirSync(to, { recursive: true });
      for (const name of readdirSync(from)) symlinkSync(path.join(from, name), path.join(to, name));
    } else {
      const from = path.join(repoRoot, folder);
      if (!existsSync(from)) throw new Error(`asarUnpack names '${folder}', which is not installed.`);
      mkdirSync(path.dirname(path.join(unpacked, folder)), { recursive: true });
      symlinkSync(from, path.join(unpacked, folder), 'dir');
    }
  }
  return unpacked;
}
