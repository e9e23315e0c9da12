// judge_bridge.js: loads the course's judge (autograder/js/judge.mjs) inside an exercise.
// The judge's source and its compiled rules arrive as two model values (judge_source,
// judge_rules), shared by every judge exercise on a page; the module is imported once from a
// Blob URL and the rules parsed once, so the judge's lookup tables are built once per page.

const smxJudgeModules = new Map();
const smxJudgeRules = new Map();

function loadJudge(model) {
  const source = model.get("judge_source");
  const rulesText = model.get("judge_rules");
  if (!source || !rulesText) return Promise.reject(new Error("the post checker is missing"));
  if (!smxJudgeModules.has(source)) {
    const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    smxJudgeModules.set(source, import(url).finally(() => URL.revokeObjectURL(url)));
  }
  if (!smxJudgeRules.has(rulesText)) smxJudgeRules.set(rulesText, JSON.parse(rulesText));
  const rules = smxJudgeRules.get(rulesText);
  return smxJudgeModules.get(source).then((judge) => ({ judge, rules }));
}

/** Call `fn` once typing has paused for `ms` milliseconds. */
function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

const SEVERITY_TEXT = { risk: "Risk", warning: "Revise", info: "Good sign" };
const VERDICT_TEXT = {
  ok: "Ready to post",
  revise: "Revise before posting",
  do_not_post: "Do not post this",
};

/** Judge spans count Unicode code points; DOM text needs UTF-16 offsets. */
function codePointToUtf16(text, index) {
  let units = 0;
  let points = 0;
  for (const ch of text) {
    if (points >= index) break;
    units += ch.length;
    points += 1;
  }
  return units;
}

/** The text with each finding's span wrapped in <mark>, built from text nodes only. */
function highlightedText(text, findings) {
  const spans = findings
    .filter((f) => f.severity !== "info")
    .map((f) => ({
      start: codePointToUtf16(text, f.start),
      end: codePointToUtf16(text, f.end),
      severity: f.severity,
      label: SEVERITY_TEXT[f.severity],
    }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const out = h("p", { class: "smx-highlight" });
  let at = 0;
  for (const span of spans) {
    if (span.start < at) continue; // overlapping spans: keep the first
    out.append(text.slice(at, span.start));
    out.append(
      h(
        "mark",
        { class: `smx-mark smx-mark-${span.severity}` },
        text.slice(span.start, span.end),
        h("span", { class: "smx-visually-hidden", text: ` (${span.label})` }),
      ),
    );
    at = span.end;
  }
  out.append(text.slice(at));
  return out;
}
