#!/usr/bin/env node
// Run many judge calls in one Node process (used by the tests and the benchmark).
//   node autograder/judge/js/judge-batch.mjs [RULES_JSON] < calls.jsonl > results.jsonl
// Each input line is {"op": "review"|"check"|"compare"|"fits"|"purpose"|"rewrite", "args": [...]}
// (the arguments of reviewPost, checkStatement, compareStatements, postFitsStatement,
// keepsPurpose or checkRewrite, without rules).
// Each output line is the result in Python's JSON format, or {"error": "..."}.
// With --time, it instead prints {"seconds": ..., "calls": ...} after running every call.

import { readFileSync } from "node:fs";
import { RULES_PATH } from "./cli.mjs";
import {
  checkRewrite,
  checkStatement,
  compareStatements,
  keepsPurpose,
  postFitsStatement,
  reviewPost,
  toPythonJson,
} from "./judge.mjs";

const args = process.argv.slice(2);
const timeOnly = args.includes("--time");
const rulesPath = args.find((a) => a !== "--time") || RULES_PATH;
const rules = JSON.parse(readFileSync(rulesPath, "utf8"));
const OPS = {
  review: (a) => reviewPost(a[0], a[1], rules),
  check: (a) => checkStatement(a[0], rules),
  compare: (a) => compareStatements(a[0], a[1], rules),
  fits: (a) => postFitsStatement(a[0], a[1], rules),
  purpose: (a) => keepsPurpose(a[0], a[1], a[2], rules),
  rewrite: (a) => checkRewrite(a[0], a[1], a[2], a[3], rules),
};
const calls = readFileSync(0, "utf8")
  .split("\n")
  .filter((l) => l)
  .map((l) => JSON.parse(l));
if (timeOnly) {
  const repeat = Number(process.env.JUDGE_REPEAT || 1);
  for (const c of calls) OPS[c.op](c.args); // warm up
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < repeat; r++) for (const c of calls) OPS[c.op](c.args);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(JSON.stringify({ seconds, calls: calls.length * repeat }) + "\n");
} else {
  const out = [];
  for (const c of calls) {
    try {
      out.push(toPythonJson(OPS[c.op](c.args)));
    } catch (err) {
      out.push(toPythonJson({ error: String(err && err.message) }));
    }
  }
  process.stdout.write(out.join("\n") + (out.length ? "\n" : ""));
}
