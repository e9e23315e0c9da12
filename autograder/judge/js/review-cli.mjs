#!/usr/bin/env node
// Review one post and print the result as JSON, exactly like `python -m autograder.review`.
//   node autograder/js/review-cli.mjs --account professional "Proud of our team!"
//   echo "Proud of our team!" | node autograder/js/review-cli.mjs --account personal

import { loadRules, parse, readText, run, UsageError } from "./cli.mjs";
import { reviewPost } from "./judge.mjs";

const USAGE = `usage: node autograder/js/review-cli.mjs --account personal|professional|joint [TEXT]
Reviews one post (TEXT, or standard input) and prints {"verdict": ..., "findings": [...]}.`;

function main(argv) {
  const [opts, positional] = parse(argv, ["account"]);
  const rules = loadRules();
  const accounts = rules.accounts.join(", ");
  if (!("account" in opts))
    throw new UsageError("choose an account with --account (" + accounts + ")");
  const account = opts.account;
  if (!rules.accounts.includes(account)) {
    throw new UsageError("unknown account " + JSON.stringify(account) + ": use " + accounts);
  }
  return reviewPost(readText(positional), account, rules);
}

process.exitCode = run(main, USAGE);
