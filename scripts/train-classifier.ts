/**
 * Train the intent classifier of AI pre-review (apps/server/src/modules/assist/classifier).
 *
 *   node scripts/train-classifier.ts        (or: npm run train:classifier)
 *
 * 1. Rebuilds the labelled corpus `assist/corpus/corpus.jsonl` from its sources (hand-written
 *    lines, templates, noise; see assist/corpus/README.md), with its fixed held-out split.
 * 2. Trains the model on the training split only and writes `assist/classifier/intent-model.jsonl`.
 * 3. Prints precision, recall and F1 per intent and the overall accuracy on the held-out split,
 *    scored with the model as written (loaded back from the file, as the server loads it); and,
 *    as an outside check, the accuracy on the simulator's buyer phrase bank.
 *
 * Deterministic: the same sources give byte-identical corpus.jsonl and model.json.
 *
 *   node scripts/train-classifier.ts --with-corrections corrections.jsonl
 *
 * also trains on agents' intent corrections, exported with `npm run yunxi -- export-corrections`
 * (one {"text","predicted","corrected"} per line; the latest correction of a text wins). They
 * join the training split only: the held-out split stays the corpus's, so the figures printed
 * remain comparable from one training to the next. corpus.jsonl is not changed by them.
 */
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { type Intent, intents } from "@yunxi/contracts";
import { parseCorrections } from "../apps/server/src/modules/assist/autoreply/corrections-file.ts";
import { MODEL_FILE, modelToJsonl, predict } from "../apps/server/src/modules/assist/classifier/model.ts";
import { type Evaluation, evaluate, trainAndLoad } from "../apps/server/src/modules/assist/classifier/train.ts";
import { buildCorpus, CORPUS_FILE, corpusToJsonl } from "../apps/server/src/modules/assist/corpus/corpus.ts";
import { angryLeaveLines, nagLines, orderLines, topics } from "../packages/marketplaces/src/simulator/phrases.ts";

const pct = (x: number) => `${(x * 100).toFixed(1)}`;
/** Pads a label to a fixed width on a terminal (CJK characters take two columns). */
const pad = (label: string, width = 14) =>
  label + " ".repeat(Math.max(0, width - [...label].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0)));
const rel = (file: string) => path.relative(process.cwd(), file);

function printEvaluation(title: string, e: Evaluation): void {
  console.log(`\n${title}: ${e.examples} messages`);
  console.log(`${pad("intent")}  support  precision  recall     F1`);
  for (const s of e.perLabel) {
    console.log(
      `${pad(s.label)}  ${String(s.support).padStart(7)}  ${pct(s.precision).padStart(9)}  ${pct(s.recall).padStart(6)}  ${pct(s.f1).padStart(5)}`,
    );
  }
  console.log(`accuracy ${pct(e.accuracy)} %, macro F1 ${pct(e.macroF1)} %`);
  console.log(
    `by confidence: ${e.byConfidence
      .map((b) => `≥ ${b.threshold}: ${pct(b.share)} % of messages, ${pct(b.accuracy)} % correct`)
      .join("; ")}`,
  );
  if (e.confusions.length > 0) {
    console.log(
      `most confused (actual → predicted): ${e.confusions
        .slice(0, 8)
        .map((c) => `${c.actual} → ${c.predicted} ×${c.count}`)
        .join(", ")}`,
    );
  }
}

const { values: args } = parseArgs({ options: { "with-corrections": { type: "string" } } });
const corrections = args["with-corrections"]
  ? parseCorrections(fs.readFileSync(args["with-corrections"], "utf8"))
  : { examples: [], skipped: 0 };

const started = performance.now();
const rows = buildCorpus();
fs.writeFileSync(CORPUS_FILE, corpusToJsonl(rows));
const train = rows.filter((r) => r.split === "train");
const test = rows.filter((r) => r.split === "test");

console.log(`corpus: ${rel(CORPUS_FILE)} — ${rows.length} messages, ${train.length} train, ${test.length} held out`);
for (const intent of intents) {
  const of = rows.filter((r) => r.intent === intent);
  const count = (source: string) => of.filter((r) => r.source === source).length;
  console.log(
    `  ${pad(intent)} ${String(of.length).padStart(4)}  (${count("hand")} hand-written, ${count("template")} from templates, ` +
      `${count("hand+noise") + count("template+noise")} noisy variants of those; ${of.filter((r) => r.split === "test").length} held out)`,
  );
}

if (args["with-corrections"]) {
  console.log(
    `corrections: ${rel(args["with-corrections"])} — ${corrections.examples.length} added to the training split` +
      (corrections.skipped > 0 ? `, ${corrections.skipped} lines skipped (not a correction)` : ""),
  );
}

const { json, model } = trainAndLoad([...train, ...corrections.examples]);
const text = modelToJsonl(json);
fs.writeFileSync(MODEL_FILE, text);
console.log(
  `\nmodel: ${rel(MODEL_FILE)} — ${json.training.features} features, ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB, ` +
    `trained in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);

printEvaluation("training split (for comparison: not a quality figure)", evaluate(model, train));
printEvaluation("HELD-OUT split", evaluate(model, test));
console.log(
  `held-out accuracy by source: ${(["hand", "hand+noise", "template", "template+noise"] as const)
    .map((source) => {
      const of = test.filter((r) => r.source === source);
      return `${source} ${pct(evaluate(model, of).accuracy)} % (${of.length})`;
    })
    .join(", ")}`,
);

// An outside check: the simulator's buyer phrase bank, written separately from this corpus and
// never trained on. Its topics map onto our labels as below (its finer pre-sale topics are all
// 售前-商品咨询 here; its 售前-发货时效 is our 物流-发货时间).
const simulatorLabels: Record<string, Intent> = {
  "售前-尺码": "售前-尺码推荐",
  "售前-材质": "售前-商品咨询",
  "售前-成分肤质": "售前-商品咨询",
  "售前-适用月龄": "售前-商品咨询",
  "售前-保修参数": "售前-商品咨询",
  "售前-保质期": "售前-商品咨询",
  "售前-库存": "售前-库存到货",
  "售前-价格优惠": "售前-价格优惠",
  "售前-发货时效": "物流-发货时间",
  "物流-发货时间": "物流-发货时间",
  "物流-查件": "物流-物流查询",
  "物流-签收未收到": "物流-物流查询",
  "物流-改地址": "物流-修改地址",
  "售后-退换货": "售后-退换货",
  "售后-退款进度": "售后-退款进度",
  "售后-质量问题": "售后-质量问题",
  "售后-发错货": "售后-错发漏发",
  "投诉-发货慢": "投诉",
  "投诉-服务质量": "投诉",
};
const fillers: Record<string, string> = {
  product: "跑步鞋",
  spec: "42",
  variant: "白色",
  orderId: "3852749016273845129",
  city: "杭州",
  height: "170",
  weight: "130",
  price: "99",
};
const outside: { text: string; intent: Intent }[] = [
  ...topics.flatMap((topic) =>
    topic.openers.map((opener) => ({
      text: opener.replace(/\{(\w+)\}/g, (_, slot: string) => fillers[slot] ?? slot),
      intent: simulatorLabels[topic.intent] ?? "其他",
    })),
  ),
  ...nagLines.flat().map((text) => ({ text, intent: "其他-问候" as const })),
  ...angryLeaveLines.map((text) => ({ text, intent: "投诉" as const })),
  ...orderLines.map((text) => ({ text, intent: "其他" as const })),
];
const outsideScore = evaluate(model, outside);
const missed = outside.filter((e) => model.labels[predict(model, e.text).best] !== e.intent);
console.log(
  `\noutside check, the simulator's phrase bank (openers, nags, angry leaves, "I ordered" lines; not in the corpus): ` +
    `${pct(outsideScore.accuracy)} % of ${outside.length} correct` +
    (missed.length > 0
      ? `; missed: ${missed.map((e) => `${e.text} (${e.intent} → ${model.labels[predict(model, e.text).best]})`).join("; ")}`
      : ""),
);
