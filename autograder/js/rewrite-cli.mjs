#!/usr/bin/env node
// Check a rewrite of a fix-the-post exercise and print the result as JSON, exactly like
// `python -m autograder.rewrite`:
//   node autograder/js/rewrite-cli.mjs --post pitfalls/fix-credit-taker "My analysis made it ..."
// The exercises come from fix-posts.json beside this file, which `make setup` writes from the
// book's and the assignment's exercise files (python -m autograder.judge.course_posts).

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadRules, parse, readText, run, UsageError } from "../judge/js/cli.mjs";
import { checkRewrite } from "../judge/js/judge.mjs";

const POSTS_PATH = join(dirname(fileURLToPath(import.meta.url)), "fix-posts.json");
const USAGE = `usage: node autograder/js/rewrite-cli.mjs --post ID [TEXT]
Checks a rewrite (TEXT, or standard input) of the fix-the-post exercise ID (chapter/exercise-id,
or fix_the_posts/post-id) and prints {"passes": ..., "verdict": ..., "purpose": ..., ...}.`;

function main(argv) {
  const [opts, positional] = parse(argv, ["post"]);
  let table;
  try {
    table = JSON.parse(readFileSync(POSTS_PATH, "utf8"));
  } catch {
    throw new UsageError(
      "autograder/js/fix-posts.json is missing; make it with: python -m autograder.judge.course_posts",
    );
  }
  if (!("post" in opts)) {
    throw new UsageError("choose a post with --post (for example pitfalls/fix-credit-taker)");
  }
  const entry = Object.hasOwn(table, opts.post) ? table[opts.post] : undefined;
  if (entry === undefined) {
    throw new UsageError(
      "unknown post " + JSON.stringify(opts.post) + ": use " + Object.keys(table).sort().join(", "),
    );
  }
  const rules = loadRules();
  return checkRewrite(readText(positional), entry.post, entry.account, entry.purpose, rules);
}

process.exitCode = run(main, USAGE);
