#!/usr/bin/env node
// The documented command line `node autograder/js/review-cli.mjs`, kept as a thin entry point:
// the command lives with the judge in autograder/judge/js/review-cli.mjs.
import "../judge/js/review-cli.mjs";
