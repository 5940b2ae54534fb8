#!/usr/bin/env node
// Joule's node runner: loads the models of this node's manifest with onnxruntime-node and either
// benchmarks them (default) or serves them over HTTP. Install once with `npm install` in this folder.
//
//   node run.mjs bench [--runs 20]                      latency of every workload's model, beside the plan's
//   node run.mjs serve [--port 8080] [--workload ID]    POST /infer/<workload> {"input": [floats]} -> {"output": [...]}
//   --manifest FILE                                      default: ../manifest.json
//   --root DIR                                           where the manifest's model paths start (default: the manifest's folder)
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const mode = args[0] && !args[0].startsWith('--') ? args[0] : 'bench';
const option = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const manifestFile = path.resolve(option('manifest', path.join(here, '..', 'manifest.json')));
const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
const root = path.resolve(option('root', path.dirname(manifestFile)));
const settings = manifest.onnxruntime;

const sessions = new Map();
async function session(model) {
  if (!sessions.has(model.file)) {
    sessions.set(
      model.file,
      await ort.InferenceSession.create(path.join(root, model.file), {
        executionProviders: settings.executionProviders,
        intraOpNumThreads: settings.intraOpThreads,
        graphOptimizationLevel: settings.graphOptimization,
      }),
    );
  }
  return sessions.get(model.file);
}

/** The model's input for a mid-grey image, preprocessed as the manifest says (pixels / 255, then (x - mean) / std per channel). */
function greyInput(model) {
  const dims = model.input.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
  const channels = dims[1] ?? 1;
  const perChannel = data.length / channels / (dims[0] ?? 1);
  const { mean, std } = model.preprocessing;
  for (let i = 0; i < data.length; i++) {
    const c = Math.floor(i / perChannel) % channels;
    data[i] = (0.5 - (mean[c] ?? mean[0])) / (std[c] ?? std[0]);
  }
  return new ort.Tensor('float32', data, dims);
}

const modelOf = (workload) => manifest.models.find((m) => m.modelId === workload.modelId);

if (mode === 'bench') {
  const runs = Number(option('runs', 20));
  const rows = [];
  for (const workload of manifest.workloads) {
    const model = modelOf(workload);
    const s = await session(model);
    const feeds = { [model.input.name]: greyInput(model) };
    await s.run(feeds);
    const times = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await s.run(feeds);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    rows.push({ workload: workload.id, model: model.file, medianMs: times[Math.floor(times.length / 2)], expectedMs: workload.expected.latencyMs });
  }
  console.log(JSON.stringify({ node: manifest.node.id, deviceType: manifest.node.deviceType, runs, workloads: rows }, null, 2));
} else if (mode === 'serve') {
  const only = option('workload', null);
  const port = Number(option('port', 8080));
  const server = http.createServer((req, res) => {
    const match = /^\/infer\/([A-Za-z0-9._-]+)$/.exec(req.url ?? '');
    const workload = match && manifest.workloads.find((w) => w.id === match[1] && (!only || w.id === only));
    if (req.method !== 'POST' || !workload) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'POST /infer/<workload> of this node' }));
      return;
    }
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      try {
        const model = modelOf(workload);
        const input = JSON.parse(body).input;
        const shape = model.input.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
        const t0 = performance.now();
        const out = await (await session(model)).run({ [model.input.name]: new ort.Tensor('float32', Float32Array.from(input), shape) });
        const first = out[Object.keys(out)[0]];
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ output: Array.from(first.data), ms: performance.now() - t0 }));
      } catch (error) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error.message ?? error) }));
      }
    });
  });
  server.listen(port, () => console.log(`Serving ${only ?? 'every workload'} of ${manifest.node.id} on port ${port}`));
} else {
  console.error(`Unknown mode "${mode}"; use bench or serve.`);
  process.exitCode = 2;
}
