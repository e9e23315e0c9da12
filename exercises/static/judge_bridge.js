// judge_bridge.js: loads the course's judge (autograder/judge/js/judge.mjs) inside an exercise.
// The judge's source and its compiled rules arrive as two model values (judge_source,
// judge_rules): in JupyterLab as text, in the static book as a pointer to one shared file that
// the page loads when a learner reaches an exercise. The module is imported once from a Blob
// URL and the rules parsed once, so the judge's lookup tables are built once per page.

const smxJudgeModules = new Map();
const smxJudgeRules = new Map();

function judgeParts(model) {
  const source = model.get("judge_source");
  const rules = model.get("judge_rules");
  // In the static book the two values point to one shared file the page host loads on demand.
  if (source && typeof source === "object" && source.$smxfile) {
    if (!window.SMXHost) return Promise.reject(new Error("the page cannot load the checker"));
    return window.SMXHost.loadJudgeFile(source.$smxfile).then((file) => [
      file.judge_source,
      file.judge_rules,
    ]);
  }
  return Promise.resolve([source, rules]);
}

function loadJudge(model) {
  return judgeParts(model).then(([source, rulesText]) => {
    if (!source || !rulesText) throw new Error("the post checker is missing");
    if (!smxJudgeModules.has(source)) {
      const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
      smxJudgeModules.set(
        source,
        import(url).finally(() => URL.revokeObjectURL(url)),
      );
    }
    if (!smxJudgeRules.has(rulesText)) smxJudgeRules.set(rulesText, JSON.parse(rulesText));
    const rules = smxJudgeRules.get(rulesText);
    return smxJudgeModules.get(source).then((judge) => ({ judge, rules }));
  });
}

/** Resolve when `el` comes near the screen (or at once where that cannot be observed). */
function whenNear(el) {
  return new Promise((resolve) => {
    if (typeof IntersectionObserver !== "function") return resolve();
    const watcher = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          watcher.disconnect();
          resolve();
        }
      },
      { rootMargin: "600px 0px" },
    );
    watcher.observe(el);
  });
}

/** The judge, loaded once the exercise is near the screen or the learner starts typing. */
function judgeWhenNeeded(model, el) {
  let start;
  const started = new Promise((resolve) => {
    start = resolve;
  });
  whenNear(el).then(() => start());
  el.addEventListener("focusin", () => start(), { once: true });
  return started.then(() => loadJudge(model));
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
