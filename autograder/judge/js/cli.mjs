// Shared command-line handling for review-cli.mjs and statement-cli.mjs.
// Mirrors autograder/judge/cli.py: same options, same one-line errors (exit code 2 for bad input),
// same JSON output. Text comes from the single positional argument or from standard input
// (strict UTF-8; one trailing newline dropped), at most MAX_CHARS code points.
// Note: Node replaces undecodable bytes in command-line arguments with U+FFFD before this code
// runs, so only standard input can be checked for invalid UTF-8.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { toPythonJson } from "./judge.mjs";

const MAX_CHARS = 5000;
const HERE = dirname(fileURLToPath(import.meta.url));
export const RULES_PATH = join(HERE, "rules.json");

export class UsageError extends Error {}
class RulesMissing extends Error {}

export function parse(argv, options) {
  const opts = {};
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith("--") && arg.length > 2) {
      const body = arg.slice(2);
      const eq = body.indexOf("=");
      const name = eq < 0 ? body : body.slice(0, eq);
      if (!options.includes(name)) throw new UsageError("unknown option --" + name);
      let value;
      if (eq < 0) {
        if (i + 1 >= argv.length) throw new UsageError("--" + name + " needs a value");
        value = argv[++i];
      } else {
        value = body.slice(eq + 1);
      }
      opts[name] = value;
    } else {
      positional.push(arg);
    }
  }
  if (positional.length > 1) {
    throw new UsageError("give the text as one argument in quotes, or on standard input");
  }
  return [opts, positional.length ? positional[0] : null];
}

export function checkText(text, what = "text") {
  let n = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0);
    if (c >= 0xd800 && c <= 0xdfff) throw new UsageError("the " + what + " is not valid UTF-8");
    n++;
  }
  if (n > MAX_CHARS) {
    throw new UsageError(
      "the " + what + " is " + n + " characters long; the limit is " + MAX_CHARS,
    );
  }
  return text;
}

export function readText(positional) {
  if (positional !== null) return checkText(positional);
  const data = readFileSync(0);
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(data);
  } catch {
    throw new UsageError("the text on standard input is not valid UTF-8");
  }
  if (text.endsWith("\n")) {
    text = text.slice(0, -1);
    if (text.endsWith("\r")) text = text.slice(0, -1);
  }
  return checkText(text);
}

export function loadRules() {
  let raw;
  try {
    raw = readFileSync(RULES_PATH, "utf8");
  } catch {
    throw new RulesMissing(
      "autograder/judge/js/rules.json is missing; generate it with: " +
        "python -m autograder.judge.export_rules",
    );
  }
  return JSON.parse(raw);
}

export function run(main, usage) {
  const argv = process.argv.slice(2);
  if (argv[0] === "-h" || argv[0] === "--help") {
    process.stdout.write(usage + "\n");
    return 0;
  }
  try {
    process.stdout.write(toPythonJson(main(argv)) + "\n");
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write("error: " + err.message + " (see --help)\n");
      return 2;
    }
    if (err instanceof RulesMissing) {
      process.stderr.write("error: " + err.message + "\n");
      return 1;
    }
    process.stderr.write("error: " + (err && err.message ? err.message : String(err)) + "\n");
    return 1;
  }
}
