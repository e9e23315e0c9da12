#!/usr/bin/env node
// The documented command line `node autograder/js/statement-cli.mjs`, kept as a thin entry point:
// the command lives with the judge in autograder/judge/js/statement-cli.mjs.
import "../judge/js/statement-cli.mjs";
