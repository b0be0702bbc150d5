/**
 * AI pre-review classifier benchmark: latency per message and throughput of `classify()`
 * (intent model + category + entities + sentiment), in one process, on one thread.
 *
 *   node bench/classify.ts [--seconds 5] [--rounds 3]
 *
 * Messages: the held-out split of the shipped corpus (realistic buyer messages, 5–60
 * characters, with typos and emoji), cycled. Phases:
 *   1. model load: reading and parsing the model file (once per process, at server start);
 *   2. warm-up (1 s, not reported);
 *   3. latency: each call timed alone with performance.now(), `--seconds` long; p50/p90/p99/max;
 *   4. throughput: calls back to back for `--seconds`, `--rounds` times; messages/s and CPU µs per
 *      message, median round;
 *   5. long messages: the same latency measure on 2,000-character messages (the input cap).
 * See bench/README.md.
 */
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { classify, warmUp } from "../apps/server/src/modules/assist/classifier/classify.ts";
import { readCorpus } from "../apps/server/src/modules/assist/corpus/corpus.ts";
import { machine } from "./support.ts";

const round2 = (n: number) => Math.round(n * 100) / 100;
const round3 = (n: number) => Math.round(n * 1000) / 1000;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** Each call timed on its own; latencies in microseconds. */
function latency(texts: readonly string[], seconds: number) {
  const samples: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  let i = 0;
  while (performance.now() < deadline) {
    const text = texts[i++ % texts.length]!;
    const t0 = performance.now();
    classify(text);
    samples.push((performance.now() - t0) * 1000);
  }
  samples.sort((a, b) => a - b);
  return {
    count: samples.length,
    p50us: round2(percentile(samples, 50)),
    p90us: round2(percentile(samples, 90)),
    p99us: round2(percentile(samples, 99)),
    maxUs: round2(samples.at(-1) ?? Number.NaN),
  };
}

/**
 * Calls back to back, checking the clock every 256 calls. Also the process's CPU time per call,
 * which a busy machine inflates far less than wall-clock time (a shared core still runs our
 * instructions at the same speed; it just runs them less often).
 */
function throughput(texts: readonly string[], seconds: number): { perSecond: number; cpuUsPerMessage: number } {
  let n = 0;
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline) {
    for (let k = 0; k < 256; k++) classify(texts[n++ % texts.length]!);
  }
  const cpu = process.cpuUsage(cpu0);
  return {
    perSecond: Math.round(n / ((performance.now() - started) / 1000)),
    cpuUsPerMessage: round2((cpu.user + cpu.system) / n),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { seconds: { type: "string", default: "5" }, rounds: { type: "string", default: "3" } },
  });
  const seconds = Number(values.seconds);
  const rounds = Math.round(Number(values.rounds));
  if (!(seconds > 0) || !(rounds > 0)) throw new Error("--seconds and --rounds must be positive numbers");

  const m = machine();
  console.log(`Yunxi classifier benchmark — ${new Date().toISOString()}`);
  console.log(`machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}`);
  console.log(`load average before the run: ${m.loadAverage.join(" ")} (the figures assume an otherwise idle machine)`);

  const texts = readCorpus()
    .filter((r) => r.split === "test")
    .map((r) => r.text);
  const meanChars = round2(texts.reduce((a, t) => a + [...t].length, 0) / texts.length);
  console.log(`messages: ${texts.length} held-out corpus lines (mean ${meanChars} characters), cycled`);

  const loadStarted = performance.now();
  warmUp();
  const modelLoadMs = round2(performance.now() - loadStarted);
  console.log(`model load: ${modelLoadMs} ms (once per process)`);

  throughput(texts, 1); // warm-up: JIT, caches
  const short = latency(texts, seconds);
  console.log(
    `latency per message: p50 ${short.p50us} µs, p90 ${short.p90us} µs, p99 ${short.p99us} µs, max ${short.maxUs} µs ` +
      `(${short.count} calls)`,
  );
  const results: { perSecond: number; cpuUsPerMessage: number }[] = [];
  for (let r = 0; r < rounds; r++) results.push(throughput(texts, seconds));
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const perSecond = results.map((r) => r.perSecond);
  const medianPerSecond = median(perSecond);
  const cpuUsPerMessage = median(results.map((r) => r.cpuUsPerMessage));
  console.log(
    `throughput: ${medianPerSecond} messages/s on one thread (median of ${rounds} rounds: ${perSecond.join(", ")}); ` +
      `${round3(1_000_000 / medianPerSecond)} µs wall-clock and ${cpuUsPerMessage} µs of CPU per message`,
  );
  const longTexts = texts.slice(0, 50).map((t) => t.repeat(Math.ceil(2000 / t.length)).slice(0, 2000));
  const long = latency(longTexts, Math.min(2, seconds));
  console.log(
    `2,000-character messages: p50 ${long.p50us} µs, p99 ${long.p99us} µs, max ${long.maxUs} µs (${long.count} calls)`,
  );
  console.log(`aim: ≤ 1 ms (1000 µs) per message — p99 ${short.p99us <= 1000 ? "meets" : "MISSES"} it`);

  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "results");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `classify-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  const report = {
    benchmark: "classify",
    at: new Date().toISOString(),
    machine: m,
    options: { seconds, rounds },
    messages: { count: texts.length, meanChars },
    modelLoadMs,
    latency: short,
    throughput: { perSecond: medianPerSecond, cpuUsPerMessage, rounds: results },
    longMessages: long,
  };
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`results: ${path.relative(process.cwd(), file)}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
