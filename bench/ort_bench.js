// Times ONNX Runtime (the CPU build in the npm package onnxruntime-node) on an .onnx model; prints one JSON line.
// Usage: node bench/ort_bench.js MODEL.onnx --model NAME --shape CxHxW [--batch B] [--threads T] [--runs N]
//            [--warmup W] [--max-seconds S] [--serve]
// The session runs sequentially on intraOpNumThreads = T threads (interOpNumThreads = 1) with every graph
// optimisation ('all'); its creation is the load time. Peak RSS is VmHWM from /proc/self/status (the whole
// node process), or process.memoryUsage().rss, the current RSS, where /proc is missing. --serve: the lock-step
// protocol of bench/run.py, as bench/netc_bench's ({"ready": true}; "run" -> {"ms": T}; "end" -> the JSON).
'use strict';
const fs = require('fs');
const path = require('path');
const readline = require('readline');

// onnxruntime-node is installed in bench/ort (npm install --prefix bench/ort --ignore-scripts).
const ort = require(require.resolve('onnxruntime-node', {paths: [path.join(__dirname, 'ort')]}));

function parse(argv) {
  const o = {batch: 1, threads: 1, runs: 10, warmup: 1, maxSeconds: 1e9};
  const numeric = {'--batch': 'batch', '--threads': 'threads', '--runs': 'runs', '--warmup': 'warmup',
                   '--max-seconds': 'maxSeconds'};
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] in numeric && i + 1 < argv.length) o[numeric[argv[i]]] = Number(argv[++i]);
    else if (argv[i] === '--serve') o.serve = true;
    else if (argv[i] === '--model' && i + 1 < argv.length) o.model = argv[++i];
    else if (argv[i] === '--shape' && i + 1 < argv.length) o.shape = argv[++i].split('x').map(Number);
    else if (argv[i].startsWith('-')) throw new Error(`unknown option or missing value: ${argv[i]}`);
    else positional.push(argv[i]);
  }
  if (positional.length !== 1 || !o.model || !o.shape || o.shape.length !== 3)
    throw new Error('usage: ort_bench.js MODEL.onnx --model NAME --shape CxHxW [--batch B] [--threads T] ...');
  o.file = positional[0];
  return o;
}

// The q-quantile (0..1) of sorted values, interpolating linearly (as bench/stats.py and netc_bench do).
function quantile(sorted, q) {
  const at = q * (sorted.length - 1), below = Math.floor(at), above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (at - below) * (sorted[above] - sorted[below]);
}

function peakRss() {
  try {
    const line = fs.readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
    if (line) return {bytes: parseInt(line.split(/\s+/)[1], 10) * 1024, method: 'VmHWM'};
  } catch (e) { /* not Linux: fall back to the current RSS */ }
  return {bytes: process.memoryUsage().rss, method: 'process.memoryUsage().rss'};
}

function now() { return Number(process.hrtime.bigint()) / 1e6; }

// A fixed pseudo-random input in [0, 1) (a linear congruential generator: the values need only be fixed).
function input(count) {
  const data = new Float32Array(count);
  let state = 1;
  for (let i = 0; i < count; i++) {
    state = (state * 1664525 + 1013904223) >>> 0;
    data[i] = state / 4294967296;
  }
  return data;
}

// Up to o.runs timed runs, stopping once o.maxSeconds have passed (after one at least).
async function timedRuns(timedRun, o) {
  const times = [], start = now();
  for (let r = 0; r < o.runs && (r === 0 || now() - start <= o.maxSeconds * 1000); r++) times.push(await timedRun());
  return times;
}

// The lock-step protocol: {"ready": true}, then a timed run for each line "run" on stdin until "end".
async function serve(timedRun) {
  const times = [];
  console.log(JSON.stringify({ready: true}));
  const lines = readline.createInterface({input: process.stdin});
  for await (const line of lines) {
    if (line === 'end') break;
    if (line !== 'run') throw new Error(`expected 'run' or 'end' on stdin, found '${line}'`);
    times.push(await timedRun());
    console.log(JSON.stringify({ms: times[times.length - 1]}));
  }
  lines.close();
  process.stdin.destroy();  // an open stdin would keep node running after the final line
  if (times.length === 0) throw new Error("no timed run: 'end' came before any 'run'");
  return times;
}

async function main() {
  const o = parse(process.argv.slice(2));
  let start = now();
  const session = await ort.InferenceSession.create(o.file, {
    intraOpNumThreads: o.threads, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential'});
  const loadMs = now() - start;
  const dims = [o.batch, ...o.shape];
  const feeds = {[session.inputNames[0]]: new ort.Tensor('float32', input(dims.reduce((a, b) => a * b)), dims)};
  const timedRun = async () => {
    const runStart = now();
    await session.run(feeds);
    return now() - runStart;
  };
  for (let r = 0; r < o.warmup; r++) await timedRun();
  const times = o.serve ? await serve(timedRun) : await timedRuns(timedRun, o);
  const sorted = [...times].sort((a, b) => a - b), median = quantile(sorted, 0.5), rss = peakRss();
  console.log(JSON.stringify({
    engine: 'onnxruntime', model: o.model, batch: o.batch, threads: o.threads, warmup: o.warmup, times_ms: times,
    median_ms: median, min_ms: sorted[0], p10_ms: quantile(sorted, 0.1), p90_ms: quantile(sorted, 0.9),
    images_per_s: o.batch * 1000 / median, load_ms: loadMs, peak_rss_bytes: rss.bytes, rss_method: rss.method,
    version: ort.env.versions.node}));
}

main().catch((e) => {
  console.error(`ort_bench: error: ${e.message}`);
  process.exit(1);
});
