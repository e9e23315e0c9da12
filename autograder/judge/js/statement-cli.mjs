#!/usr/bin/env node
// Check a positioning statement and print JSON, exactly like `python -m autograder.statement`.
//   node autograder/js/statement-cli.mjs "I am a nurse in pediatrics for new parents."
//   node autograder/js/statement-cli.mjs --compare "I am a ..." "I am a ..."
//   node autograder/js/statement-cli.mjs --post "post text" "I am a ..."

import { checkText, loadRules, parse, readText, run, UsageError } from "./cli.mjs";
import { checkStatement, compareStatements, postFitsStatement } from "./judge.mjs";

const USAGE = `usage: node autograder/js/statement-cli.mjs [--compare PROFESSIONAL | --post POST] [STATEMENT]
Checks a statement "I am a ROLE in FIELD for AUDIENCE." (STATEMENT, or standard input).
--compare compares it, as the personal statement, with a professional one.
--post tells whether a post fits it.`;

function main(argv) {
  const [opts, positional] = parse(argv, ["compare", "post"]);
  if (Object.keys(opts).length > 1) throw new UsageError("use --compare or --post, not both");
  const rules = loadRules();
  const statement = readText(positional);
  if ("compare" in opts) {
    const other = checkText(opts.compare, "professional statement");
    return compareStatements(statement, other, rules);
  }
  if ("post" in opts) return postFitsStatement(checkText(opts.post, "post"), statement, rules);
  return checkStatement(statement, rules);
}

process.exitCode = run(main, USAGE);
