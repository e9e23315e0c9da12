// The course judge in the browser: the same answers as the Python package `autograder`.
//
// Dependency-free ES module: no imports and no top-level side effects (it only declares
// constants, a private cache and functions). Every function takes `rules`, the parsed
// autograder/judge/js/rules.json (generated from autograder/judge/rules.yml by
// `python -m autograder.judge.export_rules`), and returns plain objects shaped like the Python
// `to_dict()` output, with the same keys in the same order:
//
//   reviewPost(text, account, rules)
//     -> {verdict, findings: [{rule, category, severity, start, end, message}]}
//   checkStatement(text, rules)
//     -> {ok, parts: {role, field, audience}, problems: [{id, part, message}]}
//   compareStatements(personal, professional, rules)
//     -> {similarity_percent, shared_words, problems: [{id, message}]}
//   postFitsStatement(post, statement, rules)
//     -> {fits, shared_words, keywords, message}
//   toPythonJson(value) -> the text Python's json.dumps(value, ensure_ascii=False) gives
//
// Spans (start, end) count Unicode code points, like Python string indexes, not UTF-16 units.
// Each step mirrors autograder/judge/tokens.py, autograder/judge/posts.py and autograder/judge/statements.py;
// RULES.md explains the shared definitions.

export const JUDGE_VERSION = "1";
export const RULES_FORMAT = 1;

// ------------------------------------------------------------------ tokenizer (tokens.py)

export const WORD_RANGES = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x61, 0x7a],
  [0xc0, 0xd6],
  [0xd8, 0xf6],
  [0xf8, 0x1fff],
  [0x2c00, 0x2dff],
  [0x2e80, 0x2fdf],
  [0x3040, 0xd7ff],
  [0xf900, 0xfdff],
  [0xfe70, 0xfefe],
  [0xff10, 0xff19],
  [0xff21, 0xff3a],
  [0xff41, 0xff5a],
  [0xff66, 0xffdc],
  [0x10000, 0x1efff],
  [0x20000, 0x3ffff],
];
export const EMOJI_RANGES = [
  [0x2600, 0x27bf],
  [0x1f000, 0x1faff],
];
export const SPACE_RANGES = [
  [0x00, 0x20],
  [0x7f, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
export const MAX_MENTION = 30;
// A word with one of these right before it and one right after it is "quoted": "teammate".
const QUOTES = '"\u201c\u201d';
const MASK_PATTERN = "[A-Za-z0-9*!@$#]*[*!@$#0-9][A-Za-z0-9*!@$#]*";
const MASK_WILDCARDS = "*#";
const LEET = { "@": "a", $: "s", "!": "i", 0: "o", 1: "i", 3: "e", 4: "a", 5: "s", 7: "t" };

function esc(cp) {
  return "\\u{" + cp.toString(16) + "}";
}
function cls(ranges) {
  return ranges.map(([lo, hi]) => (lo === hi ? esc(lo) : esc(lo) + "-" + esc(hi))).join("");
}
function tokenSource() {
  const word = "[" + cls(WORD_RANGES) + "]";
  const space = cls(SPACE_RANGES);
  const urlTail = ".,;:!?)\\]}'\"\u2019\u201d\u00bb";
  return (
    "((?:[Hh][Tt][Tt][Pp][Ss]?://|[Ww][Ww][Ww]\\.)(?:[^" +
    space +
    "]*[^" +
    space +
    urlTail +
    "])?)" +
    "|([A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)+)" +
    "|(@[A-Za-z0-9_]{1," +
    MAX_MENTION +
    "})" +
    "|(" +
    word +
    "+(?:['\u2019]" +
    word +
    "+)*)" +
    "|([" +
    cls(EMOJI_RANGES) +
    "])" +
    "|([.!?;\\n\u2026\u3002\uff01\uff1f])"
  );
}

const cache = new WeakMap(); // rules object -> compiled index (private, filled on first use)
let statics = null; // regular expressions, built on first use

function getStatics() {
  if (statics === null) {
    statics = {
      token: new RegExp(tokenSource(), "gu"),
      mask: new RegExp(MASK_PATTERN, "gu"),
      spaces: new RegExp("[" + cls(SPACE_RANGES) + "]+", "gu"),
      fold: /[A-Z\u00c0-\u00d6\u00d8-\u00de\u2019]/g,
      cap: /^[A-Z\u00c0-\u00d6\u00d8-\u00de]/,
      digits: /^[0-9]+$/,
      letter: /[A-Za-z]/,
      surrogate: /[\ud800-\udfff]/,
    };
  }
  return statics;
}

function fold(text) {
  return text.replace(getStatics().fold, (ch) =>
    ch === "\u2019" ? "'" : String.fromCharCode(ch.charCodeAt(0) + 32),
  );
}

// Maps UTF-16 offsets to code point offsets (identity when the text has no surrogates).
function offsetMap(text) {
  if (!getStatics().surrogate.test(text)) return null;
  const map = new Int32Array(text.length + 1);
  let cp = 0;
  for (let i = 0; i < text.length; i++) {
    map[i] = cp;
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        map[i + 1] = cp;
        i++;
      }
    }
    cp++;
  }
  map[text.length] = cp;
  return map;
}

const KINDS = [null, "u", "e", "m", "w", "x", null];

function tokenizeWith(text, map) {
  const st = getStatics();
  const tokens = [];
  let sent = 0;
  st.token.lastIndex = 0;
  for (const m of text.matchAll(st.token)) {
    let g = 1;
    while (m[g] === undefined) g++;
    const kind = KINDS[g];
    if (kind === null) {
      sent++;
      continue;
    }
    const raw = m[0];
    const s16 = m.index;
    const e16 = s16 + raw.length;
    const word = kind === "w";
    tokens.push({
      kind,
      norm: kind === "u" || kind === "e" ? "" : fold(raw),
      start: map ? map[s16] : s16,
      end: map ? map[e16] : e16,
      sent,
      cap: word && st.cap.test(raw),
      quoted:
        word &&
        s16 > 0 &&
        e16 < text.length &&
        QUOTES.includes(text[s16 - 1]) &&
        QUOTES.includes(text[e16]),
    });
  }
  return tokens;
}

function tokenize(text) {
  return tokenizeWith(text, offsetMap(text));
}

// ------------------------------------------------------------------ rules index (judge.py)

function buildIndex(rules) {
  if (!rules || typeof rules !== "object" || rules.format !== RULES_FORMAT) {
    throw new Error(
      "rules must be the parsed rules.json (format " +
        RULES_FORMAT +
        "); " +
        "run: python -m autograder.judge.export_rules",
    );
  }
  const idx = {
    phrases: [],
    exact: new Map(),
    prefix: new Map(),
    classes: new Map(),
    masked: new Map(),
    capitalized: new Map(),
    negation: new Set(rules.negation.words),
    negationSkip: new Set(rules.negation.skip),
    negationStop: new Set(rules.negation.stop),
    prefixLengths: [],
    patterns: new Map(),
  };
  const add = (key, phrase) => {
    const i = idx.phrases.length;
    idx.phrases.push([key, phrase]);
    const first = phrase[0];
    const table = first.startsWith("{")
      ? idx.classes
      : first.endsWith("*")
        ? idx.prefix
        : idx.exact;
    const k = table === idx.prefix ? first.slice(0, -1) : first;
    if (!table.has(k)) table.set(k, []);
    table.get(k).push(i);
  };
  for (const [name, lex] of Object.entries(rules.lexicons)) {
    idx.capitalized.set(name, lex.capitalized);
    for (const phrase of lex.phrases) add(name, phrase);
    for (const word of lex.masked) {
      const k = word.length + ":" + word[0];
      if (!idx.masked.has(k)) idx.masked.set(k, []);
      idx.masked.get(k).push([word, name]);
    }
  }
  for (const group of rules.allow) {
    const key = "allow:" + group.id;
    idx.capitalized.set(key, false);
    for (const phrase of group.phrases) add(key, phrase);
  }
  const lengths = new Set();
  for (const k of idx.prefix.keys()) lengths.add(cpLength(k));
  idx.prefixLengths = [...lengths].sort((a, b) => a - b);
  for (const rule of rules.rules) {
    if (rule.kind === "pattern") idx.patterns.set(rule.id, new RegExp(rule.pattern, "gu"));
  }
  return idx;
}

function getIndex(rules) {
  let idx = cache.get(rules);
  if (idx === undefined) {
    idx = buildIndex(rules);
    cache.set(rules, idx);
  }
  return idx;
}

function cpLength(s) {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

// First `n` code points of s (the norms compared here are usually ASCII).
function cpSlice(s, n) {
  let out = "";
  let i = 0;
  for (const ch of s) {
    if (i++ >= n) break;
    out += ch;
  }
  return out;
}

function base(norm) {
  return norm.length > 2 && norm.endsWith("'s") ? norm.slice(0, -2) : null;
}

function tokenMatches(spec, tok) {
  if (spec[0] === "{") {
    switch (spec) {
      case "{any}":
        return true;
      case "{mention}":
        return tok.kind === "m";
      case "{number}":
        return tok.kind === "w" && getStatics().digits.test(tok.norm);
      case "{email}":
        return tok.kind === "e";
      case "{url}":
        return tok.kind === "u";
      case "{quoted}":
        return tok.quoted;
      default:
        return tok.kind === "w" && tok.cap; // {cap}
    }
  }
  if (spec[spec.length - 1] === "*") {
    return tok.kind === "w" && tok.norm.startsWith(spec.slice(0, -1));
  }
  return tok.norm === spec || base(tok.norm) === spec;
}

function phraseMatches(idx, tokens) {
  const found = new Map(); // list -> Map(start token -> end token)
  const n = tokens.length;
  const digits = getStatics().digits;
  for (let i = 0; i < n; i++) {
    const tok = tokens[i];
    const norm = tok.norm;
    let cands = [];
    if (norm) {
      const hit = idx.exact.get(norm);
      if (hit) cands = cands.concat(hit);
      const b = base(norm);
      if (b !== null) {
        const hit2 = idx.exact.get(b);
        if (hit2) cands = cands.concat(hit2);
      }
      if (tok.kind === "w" && idx.prefixLengths.length) {
        const len = cpLength(norm);
        for (const length of idx.prefixLengths) {
          if (length > len) break;
          const hit3 = idx.prefix.get(cpSlice(norm, length));
          if (hit3) cands = cands.concat(hit3);
        }
      }
    }
    if (idx.classes.size) {
      const more = (k) => {
        const hit = idx.classes.get(k);
        if (hit) cands = cands.concat(hit);
      };
      if (tok.kind === "m") more("{mention}");
      else if (tok.kind === "e") more("{email}");
      else if (tok.kind === "u") more("{url}");
      else if (tok.kind === "w") {
        if (tok.cap) more("{cap}");
        if (digits.test(norm)) more("{number}");
        if (tok.quoted) more("{quoted}");
      }
    }
    for (const c of cands) {
      const [key, phrase] = idx.phrases[c];
      const m = phrase.length;
      if (i + m > n) continue;
      if (idx.capitalized.get(key) && !tok.cap) continue;
      let ok = true;
      for (let k = 1; k < m; k++) {
        if (!tokenMatches(phrase[k], tokens[i + k])) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      if (!found.has(key)) found.set(key, new Map());
      const ends = found.get(key);
      const end = i + m - 1;
      if ((ends.has(i) ? ends.get(i) : -1) < end) ends.set(i, end);
    }
  }
  const out = new Map();
  for (const [key, ends] of found) {
    const spans = [...ends.entries()].sort((a, b) => a[0] - b[0]);
    const kept = [];
    let reach = -1;
    for (const [ti, tj] of spans) {
      if (tj <= reach) continue;
      reach = tj;
      const a = tokens[ti];
      const b = tokens[tj];
      kept.push({ start: a.start, end: b.end, ti, tj, s0: a.sent, s1: b.sent });
    }
    out.set(key, kept);
  }
  return out;
}

function maskedMatches(idx, text, map, out) {
  if (!idx.masked.size) return;
  const st = getStatics();
  st.mask.lastIndex = 0;
  for (const m of text.matchAll(st.mask)) {
    // The match is ASCII, so UTF-16 and code point lengths agree inside it.
    let start = m.index;
    let end = start + m[0].length;
    while (start < end && text[start] === "#") start++;
    while (end > start && text[end - 1] === "!") end--;
    const cand = text.slice(start, end);
    if (cand.length < 3 || MASK_WILDCARDS.includes(cand[0]) || !st.letter.test(cand)) continue;
    let masked = false;
    for (const c of cand) {
      if (MASK_WILDCARDS.includes(c) || Object.hasOwn(LEET, c)) masked = true;
    }
    if (!masked) continue;
    let mapped = "";
    for (const c of cand.toLowerCase()) mapped += Object.hasOwn(LEET, c) ? LEET[c] : c;
    // A mask that could spell words of several lists counts for the first list in the file.
    for (const [word, key] of idx.masked.get(mapped.length + ":" + mapped[0]) || []) {
      let ok = true;
      for (let k = 0; k < mapped.length; k++) {
        const c = mapped[k];
        if (c !== word[k] && !MASK_WILDCARDS.includes(c)) {
          ok = false;
          break;
        }
      }
      if (ok) {
        if (!out.has(key)) out.set(key, []);
        const s = map ? map[start] : start;
        const e = map ? map[end] : end;
        out.get(key).push({ start: s, end: e, ti: -1, tj: -1, s0: -1, s1: -1 });
        break;
      }
    }
  }
}

// Looks back word by word in the same sentence for at most `window` words; `skip` words are
// passed over without counting, and a `stop` word ends the search.
function negated(idx, rules, tokens, m) {
  if (m.ti < 0) return false;
  const sent = tokens[m.ti].sent;
  let left = rules.negation.window;
  for (let k = m.ti - 1; k >= 0 && left > 0; k--) {
    const tok = tokens[k];
    if (tok.sent !== sent || idx.negationStop.has(tok.norm)) return false;
    if (idx.negation.has(tok.norm)) return true;
    if (!idx.negationSkip.has(tok.norm)) left--;
  }
  return false;
}

// Is an anchor in the same sentence, at most `window` words away (or overlapping)?
function near(target, anchors, window) {
  for (const a of anchors) {
    if (a.ti < 0 || a.s1 < target.s0 || a.s0 > target.s1) continue;
    if (a.tj < target.ti) {
      if (target.ti - a.tj <= window) return true;
    } else if (a.ti <= target.tj || a.ti - target.tj <= window) {
      return true;
    }
  }
  return false;
}

const RANK = { info: 0, warning: 1, risk: 2 };
const VERDICTS = ["ok", "revise", "do_not_post"];
const CANNOT_READ = "cannot_read";
const LEARNED_PREFIX = "learned_";

// ---------------------------------------------------------------- a post in another language
// The same test as posts.py's _cannot_read.
function cannotRead(rules, idx, tokens) {
  const need = rules.language.min_words;
  if (need <= 0) return false;
  if (idx.english === undefined) {
    idx.english = new Set(rules.language.english);
    idx.otherLanguages = new Set(rules.language.other);
  }
  let latin = 0;
  let otherScript = 0;
  let english = 0;
  let other = 0;
  for (const tok of tokens) {
    if (tok.kind !== "w") continue;
    for (const ch of tok.norm) {
      const cp = ch.codePointAt(0);
      if (cp >= 0x370) otherScript++;
      else if (cp > 0x39) latin++;
    }
    if (idx.english.has(tok.norm)) english++;
    else if (idx.otherLanguages.has(tok.norm)) other++;
  }
  if (otherScript >= 2 && otherScript > latin) return true;
  return other >= need && other > english;
}

// ---------------------------------------------------------------- the learned layer
// The same integer model as learned.py: features hashed with 32-bit FNV-1a over code points.
const MAX_CHAR_WORD = 20;
const modelCache = new WeakMap();

function fnv1a(text) {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.codePointAt(0), 16777619) >>> 0;
  return h >>> 0;
}

function tokenKey(tok) {
  if (tok.kind === "m") return "@";
  if (tok.kind === "u") return "<url>";
  if (tok.kind === "e") return "<email>";
  return tok.norm;
}

function tokenFeatures(tokens, charMin, charMax) {
  const keys = tokens.map(tokenKey);
  return tokens.map((tok, i) => {
    const feats = ["w|" + keys[i]];
    if (i + 1 < tokens.length) feats.push("b|" + keys[i] + "|" + keys[i + 1]);
    if (charMin > 0 && tok.kind === "w") {
      const cps = Array.from("<" + tok.norm + ">");
      if (cps.length - 2 <= MAX_CHAR_WORD) {
        for (let n = charMin; n <= charMax; n++) {
          for (let j = 0; j + n <= cps.length; j++) feats.push("c|" + cps.slice(j, j + n).join(""));
        }
      }
    }
    return feats;
  });
}

function getModel(rules) {
  let model = modelCache.get(rules);
  if (model === undefined) {
    const data = rules.model;
    const weights = {};
    for (const cat of data.categories) {
      const table = new Map();
      const pairs = data.weights[cat]; // position in the index, weight, position, weight ...
      for (let k = 0; k + 1 < pairs.length; k += 2) table.set(data.index[pairs[k]], pairs[k + 1]);
      weights[cat] = table;
    }
    model = {
      data,
      mask: 2 ** data.bits - 1,
      weights,
      hidden: getHidden(data),
      vetoRules: new Set(data.veto_rules), // the rules a veto may drop (trained with them)
    };
    modelCache.set(rules, model);
  }
  return model;
}

// The hidden layer beside the linear weights (learned.py's Hidden): a row of small integers
// (-45..45, one character each: code point 0x50 + weight) per feature; unit j is
// relu(bias + the rows' sum), and a category gets linear * (its linear score) + output_bias
// + sum of unit * output weight.
// Every value is an integer far below 2 ** 53, so the sums are exact, as in Python.
const INPUT_ZERO = 0x50;

function getHidden(data) {
  const h = data.hidden;
  if (!h) return null;
  const input = Int8Array.from(h.input, (c) => c.charCodeAt(0) - INPUT_ZERO);
  const row = new Map();
  h.index.forEach((b, r) => {
    row.set(b, r);
  });
  return { size: h.size, input, row, data: h };
}

function addHidden(hidden, sums, categories, found) {
  const units = hiddenUnits(hidden, found);
  for (const cat of categories) {
    const w = hidden.data.output[cat];
    let z = hidden.data.output_bias[cat];
    for (let j = 0; j < hidden.size; j++) if (units[j]) z += units[j] * w[j];
    sums[cat] = hidden.data.linear[cat] * sums[cat] + z;
  }
}

function bucketOf(model, feature) {
  return model.mask === 0xffffffff ? fnv1a(feature) : fnv1a(feature) & model.mask;
}

function modelScores(model, tokens, ruleIds) {
  const cfg = model.data.features;
  const found = new Set();
  for (const feats of tokenFeatures(tokens, cfg.char_min, cfg.char_max)) {
    for (const f of feats) found.add(bucketOf(model, f));
  }
  for (const r of ruleIds) found.add(bucketOf(model, "r|" + r));
  const out = {};
  for (const cat of model.data.categories) {
    const table = model.weights[cat];
    let sum = model.data.bias[cat];
    for (const b of found) sum += table.get(b) || 0;
    out[cat] = sum;
  }
  if (model.hidden) addHidden(model.hidden, out, model.data.categories, found);
  return out;
}

function hiddenUnits(hidden, found) {
  const units = new Array(hidden.size).fill(0);
  for (const b of found) {
    const r = hidden.row.get(b);
    if (r === undefined) continue;
    const base = r * hidden.size;
    for (let j = 0; j < hidden.size; j++) units[j] += hidden.input[base + j];
  }
  for (let j = 0; j < hidden.size; j++) {
    units[j] = Math.max(units[j] + hidden.data.bias[j], 0);
  }
  return units;
}

// learned.py's token_weights: linear weights and, with a hidden layer, what each token's input
// weights give through the units that are on for this post.
function highlight(model, tokens, cat, small, ruleIds) {
  if (!tokens.length) return [0, 0];
  const cfg = model.data.features;
  const table = model.weights[cat];
  const perToken = tokenFeatures(tokens, cfg.char_min, cfg.char_max);
  const hidden = model.hidden;
  let through = null;
  if (hidden) {
    const found = new Set();
    for (const feats of perToken) for (const f of feats) found.add(bucketOf(model, f));
    for (const r of ruleIds) found.add(bucketOf(model, "r|" + r));
    const out = hidden.data.output[cat];
    through = hiddenUnits(hidden, found).map((u, j) => (u ? out[j] : 0));
  }
  const weights = perToken.map((feats, i) => {
    const own = new Set(feats.map((f) => bucketOf(model, f)));
    if (i > 0) own.add(bucketOf(model, perToken[i - 1][1]));
    let sum = 0;
    for (const b of own) sum += table.get(b) || 0;
    if (hidden) {
      sum *= hidden.data.linear[cat];
      for (const b of own) {
        const r = hidden.row.get(b);
        if (r === undefined) continue;
        const base = r * hidden.size;
        for (let j = 0; j < hidden.size; j++) sum += hidden.input[base + j] * through[j];
      }
    }
    return sum;
  });
  // the strongest token that is not a small linking word (any token when none of those counts)
  const content = [];
  tokens.forEach((t, i) => {
    if (!small.has(t.norm) && weights[i] > 0) content.push(i);
  });
  const pool = content.length ? content : tokens.map((_, i) => i);
  let best = pool[0];
  for (const i of pool) if (weights[i] > weights[best]) best = i;
  const top = weights[best];
  let lo = best;
  let hi = best;
  while (
    lo > 0 &&
    tokens[lo - 1].sent === tokens[best].sent &&
    2 * weights[lo - 1] >= top &&
    top > 0
  )
    lo--;
  while (
    hi + 1 < tokens.length &&
    tokens[hi + 1].sent === tokens[best].sent &&
    2 * weights[hi + 1] >= top &&
    top > 0
  )
    hi++;
  return [tokens[lo].start, tokens[hi].end];
}

// The same combination as posts.py's _learned (see RULES.md, "Two layers").
function learned(rules, model, tokens, account, findings) {
  const ruleIds = [...new Set(findings.map((f) => f.rule))].sort();
  const scores = modelScores(model, tokens, ruleIds);
  const veto = model.data.veto;
  const out = findings.filter((f) => {
    const v = veto[f.category];
    if (v === undefined || v === null || !model.vetoRules.has(f.rule)) return true;
    const score = f.category in scores ? scores[f.category] : v + 1;
    return score > v;
  });
  const found = new Set(out.map((f) => f.category));
  for (const cat of model.data.categories) {
    if (found.has(cat) || scores[cat] < model.data.threshold[cat]) continue;
    const severity = rules.category_severity[cat][account];
    if (severity === "off") continue;
    if (model.small === undefined) model.small = new Set(rules.purpose.function_words || []);
    const [start, end] = highlight(model, tokens, cat, model.small, ruleIds);
    out.push({
      rule: LEARNED_PREFIX + cat,
      category: cat,
      severity,
      start,
      end,
      message: rules.category_messages[cat],
    });
  }
  return out;
}

export function reviewPost(text, account, rules) {
  if (typeof text !== "string") throw new TypeError("text must be a string");
  const idx = getIndex(rules);
  if (!rules.accounts.includes(account)) {
    throw new Error(
      "unknown account " + JSON.stringify(String(account)) + ": use " + rules.accounts.join(", "),
    );
  }
  const map = offsetMap(text);
  const tokens = tokenizeWith(text, map);
  if (cannotRead(rules, idx, tokens)) {
    const end = map ? map[text.length] : text.length;
    const message = rules.language.message;
    const finding = {
      rule: "language",
      category: "language",
      severity: "info",
      start: 0,
      end,
      message,
    };
    return { verdict: CANNOT_READ, findings: [finding] };
  }
  const matches = phraseMatches(idx, tokens);
  maskedMatches(idx, text, map, matches);
  const raw = []; // [finding, rule order]
  rules.rules.forEach((rule, order) => {
    const severity = rule.severity[account];
    if (severity === "off") return;
    const spans = [];
    if (rule.kind === "pattern") {
      const re = idx.patterns.get(rule.id);
      re.lastIndex = 0;
      for (const m of text.matchAll(re)) {
        const s = m.index;
        const e = s + m[0].length;
        spans.push([map ? map[s] : s, map ? map[e] : e]);
      }
      if (rule.anchors !== undefined || rule.unless_near.length) {
        const kept = patternContext(rule, matches, tokens, spans);
        spans.length = 0;
        for (const span of kept) spans.push(span);
      }
    } else {
      let anchors = null;
      if (rule.kind === "near") {
        anchors = [];
        for (const name of rule.anchors) for (const a of matches.get(name) || []) anchors.push(a);
        if (!anchors.length) return;
      }
      const unless = [];
      for (const name of rule.unless_near) for (const a of matches.get(name) || []) unless.push(a);
      for (const name of rule.lexicons) {
        for (const m of matches.get(name) || []) {
          if (rule.negatable && negated(idx, rules, tokens, m)) continue;
          if (rule.kind === "near" && (m.ti < 0 || !near(m, anchors, rule.window))) continue;
          if (unless.length && m.ti >= 0 && near(m, unless, rule.unless_window)) continue;
          spans.push([m.start, m.end]);
        }
      }
    }
    for (const [start, end] of spans) {
      if (end > start) {
        raw.push([
          {
            rule: rule.id,
            category: rule.category,
            severity,
            start,
            end,
            message: rule.message,
          },
          order,
        ]);
      }
    }
  });
  const kept = rules.allow.length ? raw.filter(([f]) => !allowed(rules, matches, f)) : raw;
  const best = new Map();
  for (const [f, order] of kept) {
    const key = f.category + "\u0000" + f.start + "\u0000" + f.end;
    const held = best.get(key);
    if (held === undefined || better(f, order, held[0], held[1])) best.set(key, [f, order]);
  }
  let findings = [...best.values()].map(([f]) => f);
  // the learned layer needs words to point at
  if (rules.model && tokens.length)
    findings = learned(rules, getModel(rules), tokens, account, findings);
  findings.sort((a, b) =>
    a.start !== b.start
      ? a.start - b.start
      : a.end !== b.end
        ? a.end - b.end
        : a.rule < b.rule
          ? -1
          : a.rule > b.rule
            ? 1
            : 0,
  );
  let top = 0;
  for (const f of findings) top = Math.max(top, RANK[f.severity]);
  return { verdict: VERDICTS[top], findings };
}

// The tokens that lie wholly inside a pattern match (ti = -1 when there are none).
function covered(tokens, start, end) {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].start < start) lo = mid + 1;
    else hi = mid;
  }
  let j = lo;
  while (j < tokens.length && tokens[j].end <= end) j++;
  if (j === lo) return { start, end, ti: -1, tj: -1, s0: -1, s1: -1 };
  return { start, end, ti: lo, tj: j - 1, s0: tokens[lo].sent, s1: tokens[j - 1].sent };
}

// Keep pattern matches near an anchor (if the rule has anchors) and not near unless_near.
function patternContext(rule, matches, tokens, spans) {
  const anchors = [];
  for (const name of rule.anchors || []) for (const a of matches.get(name) || []) anchors.push(a);
  const unless = [];
  for (const name of rule.unless_near) for (const a of matches.get(name) || []) unless.push(a);
  const kept = [];
  for (const [start, end] of spans) {
    const m = covered(tokens, start, end);
    if (rule.anchors !== undefined && (m.ti < 0 || !near(m, anchors, rule.window))) continue;
    if (unless.length && m.ti >= 0 && near(m, unless, rule.unless_window)) continue;
    kept.push([start, end]);
  }
  return kept;
}

function better(f, order, g, gOrder) {
  const r = RANK[f.severity];
  const gr = RANK[g.severity];
  return r > gr || (r === gr && order < gOrder);
}

function allowed(rules, matches, f) {
  for (const group of rules.allow) {
    if (group.categories !== null && !group.categories.includes(f.category)) continue;
    for (const m of matches.get("allow:" + group.id) || []) {
      if (m.start <= f.start && f.end <= m.end) return true;
    }
  }
  return false;
}

// ------------------------------------------------------------------ statements (statements.py)

const PARTS = ["role", "field", "audience"];
const END_PUNCT = ".!\u2026 ";
const EDGE_PUNCT = ",;: ";
const PREFIX_LEN = 4;

function clean(text) {
  let t = text.replace(getStatics().spaces, " ");
  t = t.replace(/^ +| +$/g, "");
  while (t && END_PUNCT.includes(t[t.length - 1])) t = t.slice(0, -1);
  return t;
}

function stripEdges(s) {
  let a = 0;
  let b = s.length;
  while (a < b && EDGE_PUNCT.includes(s[a])) a++;
  while (b > a && EDGE_PUNCT.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

function join(words) {
  return stripEdges(words.join(" "));
}

function split(text) {
  const c = clean(text);
  const words = c ? c.split(" ") : [];
  const low = words.map(fold);
  let i;
  if (low[0] === "i" && low[1] === "am") i = 2;
  else if (low[0] === "i'm" || low[0] === "im") i = 1;
  else return [false, [null, null, null]];
  if (i < low.length && (low[i] === "a" || low[i] === "an")) i++;
  const rest = words.slice(i);
  const lowRest = low.slice(i);
  const k = lowRest.indexOf("in");
  if (k < 0) return [true, [join(rest), null, null]];
  const j = lowRest.indexOf("for", k + 1);
  if (j < 0) return [true, [join(rest.slice(0, k)), join(rest.slice(k + 1)), null]];
  return [true, [join(rest.slice(0, k)), join(rest.slice(k + 1, j)), join(rest.slice(j + 1))]];
}

function content(text, drop) {
  const out = [];
  for (const tok of tokenize(text)) {
    if (tok.kind === "w" && !drop.has(tok.norm) && !out.includes(tok.norm)) out.push(tok.norm);
  }
  return out;
}

function problem(cfg, id, part = null) {
  let message = cfg.messages[id];
  if (part !== null) message = message.replaceAll("{part}", cfg.part_names[part]);
  return { id, part, message };
}

function settings(rules) {
  getIndex(rules); // checks the rules format
  return rules.statements;
}

export function checkStatement(text, rules) {
  if (typeof text !== "string") throw new TypeError("text must be a string");
  const cfg = settings(rules);
  const [followed, parts] = split(text);
  if (!followed) {
    return {
      ok: false,
      parts: { role: null, field: null, audience: null },
      problems: [problem(cfg, "template_not_followed")],
    };
  }
  const stop = new Set(cfg.stopwords);
  const vague = new Set(cfg.vague_words);
  const problems = [];
  PARTS.forEach((name, n) => {
    const part = parts[n];
    if (!part) {
      problems.push(problem(cfg, "part_missing", name));
      return;
    }
    const low = fold(part);
    if (
      cfg.placeholder_marks.some((mark) => low.includes(mark)) ||
      cfg.placeholder_words.includes(low)
    ) {
      problems.push(problem(cfg, "placeholder_left", name));
      return;
    }
    if (content(part, stop).every((w) => vague.has(w))) {
      problems.push(problem(cfg, "part_too_vague", name));
    }
  });
  if (clean(text).split(" ").length > cfg.max_words) problems.push(problem(cfg, "too_long"));
  return {
    ok: problems.length === 0,
    parts: { role: parts[0], field: parts[1], audience: parts[2] },
    problems,
  };
}

function sameText(a, b) {
  const x = fold(clean(a));
  return x !== "" && x === fold(clean(b));
}

export function compareStatements(personal, professional, rules) {
  if (typeof personal !== "string" || typeof professional !== "string") {
    throw new TypeError("statements must be strings");
  }
  const cfg = settings(rules);
  const stop = new Set(cfg.stopwords);
  const a = content(personal, stop);
  const b = content(professional, stop);
  const shared = a.filter((w) => b.includes(w));
  const union = new Set([...a, ...b]).size;
  const percent = union === 0 ? 0 : Math.floor((200 * shared.length + union) / (2 * union));
  const problems = [];
  if (sameText(personal, professional)) problems.push(problem(cfg, "identical"));
  else if (union && percent >= cfg.near_identical_percent) {
    problems.push(problem(cfg, "near_identical"));
  }
  return {
    similarity_percent: percent,
    shared_words: shared,
    problems: problems.map((p) => ({ id: p.id, message: p.message })),
  };
}

function shares(word, keyword) {
  if (word === keyword) return true;
  return (
    cpLength(word) >= PREFIX_LEN &&
    cpLength(keyword) >= PREFIX_LEN &&
    cpSlice(word, PREFIX_LEN) === cpSlice(keyword, PREFIX_LEN)
  );
}

export function postFitsStatement(post, statement, rules) {
  if (typeof post !== "string" || typeof statement !== "string") {
    throw new TypeError("post and statement must be strings");
  }
  const cfg = settings(rules);
  const [followed, parts] = split(statement);
  if (!followed) {
    return {
      fits: false,
      shared_words: [],
      keywords: [],
      message: cfg.messages.statement_unusable,
    };
  }
  const drop = new Set([...cfg.stopwords, ...cfg.vague_words]);
  const keywords = [];
  for (const part of parts) {
    for (const w of content(part || "", drop)) if (!keywords.includes(w)) keywords.push(w);
  }
  const shared = content(post, drop).filter((w) => keywords.some((k) => shares(w, k)));
  return {
    fits: shared.length > 0,
    shared_words: shared,
    keywords,
    message: cfg.messages[shared.length ? "fits" : "does_not_fit"],
  };
}

// ------------------------------------------------------------------ purpose (purpose.py)

function stem(word) {
  if (word.endsWith("'s")) word = word.slice(0, -2);
  const n = cpLength(word);
  if (n > 4 && word.endsWith("ies")) return word.slice(0, -3) + "y";
  if (n > 5 && word.endsWith("ing")) return undouble(word.slice(0, -3));
  if (n > 4 && word.endsWith("ed")) return undouble(word.slice(0, -2));
  if (n > 4 && ["ches", "shes", "sses", "xes"].some((e) => word.endsWith(e)))
    return word.slice(0, -2);
  if (n > 5 && word.endsWith("ly")) return word.slice(0, -2);
  if (n > 3 && word.endsWith("s") && !["ss", "us", "is"].some((e) => word.endsWith(e))) {
    return word.slice(0, -1);
  }
  return word;
}

function undouble(word) {
  const cps = Array.from(word);
  const k = cps.length;
  if (k >= 3 && cps[k - 1] === cps[k - 2] && !"lsz".includes(cps[k - 1]))
    return cps.slice(0, -1).join("");
  return word;
}

function canonical(word, synonyms) {
  let head = Object.hasOwn(synonyms, word) ? synonyms[word] : undefined;
  if (head === undefined) {
    const s = stem(word);
    head = Object.hasOwn(synonyms, s) ? synonyms[s] : undefined;
  }
  return stem(head === undefined ? word : head);
}

function wordTokens(text) {
  return tokenize(text)
    .filter((t) => t.kind === "w")
    .map((t) => t.norm);
}

// Python's str.startswith on code points equals startsWith on UTF-16 for whole strings.
function sameWord(a, b, prefixMin) {
  if (a === b) return true;
  if (cpLength(a) < prefixMin || cpLength(b) < prefixMin) return false;
  return a.startsWith(b) || b.startsWith(a);
}

function hasPhrase(seq, phrase, prefixMin) {
  if (!phrase.length) return false;
  for (let i = 0; i + phrase.length <= seq.length; i++) {
    if (phrase.every((key, j) => sameWord(seq[i + j], key, prefixMin))) return true;
  }
  return false;
}

function purposeParts(purpose) {
  if (purpose.parts && purpose.parts.length) {
    return [purpose.parts.map((p) => [p.says, [...p.words]]), purpose.parts.length];
  }
  const keywords = [...(purpose.keywords || [])];
  const wanted =
    Math.trunc(Number(purpose.min_keywords === undefined ? 1 : purpose.min_keywords)) || 1;
  const needed = keywords.length ? Math.max(1, Math.min(wanted, keywords.length)) : 1;
  return [keywords.map((k) => [k, [k]]), needed];
}

function safeWords(original, rules) {
  const review = reviewPost(original, "professional", rules);
  const spans = review.findings.filter((f) => f.severity !== "info").map((f) => [f.start, f.end]);
  return tokenize(original)
    .filter((t) => t.kind === "w" && !spans.some(([s, e]) => s <= t.start && t.start < e))
    .map((t) => t.norm);
}

export function checkPurpose(text, purpose, original, rules) {
  if (typeof text !== "string") throw new TypeError("text must be a string");
  if (purpose === null || typeof purpose !== "object" || Array.isArray(purpose)) {
    throw new TypeError("purpose must be a mapping with summary and keywords (or parts)");
  }
  getIndex(rules); // checks the rules format
  const cfg = rules.purpose;
  const syn = cfg.synonyms;
  const fn = new Set(cfg.function_words);
  const prefixMin = cfg.prefix_min;
  const [parts, needed] = purposeParts(purpose);
  const tokens = tokenize(text);
  if (cannotRead(rules, getIndex(rules), tokens)) {
    // the words and synonyms are English: say so rather than call the rewrite a word list
    const message = cfg.messages.cannot_read;
    return { kept: false, found: [], needed, missing: [], salad: false, related: 0, message };
  }
  const words = tokens.filter((t) => t.kind === "w").map((t) => t.norm);
  const seq = words.map((w) => canonical(w, syn));
  const found = parts
    .filter(([, keys]) =>
      keys.some((k) =>
        hasPhrase(
          seq,
          wordTokens(k).map((w) => canonical(w, syn)),
          prefixMin,
        ),
      ),
    )
    .map(([says]) => says);
  const missing = parts.map(([says]) => says).filter((says) => !found.includes(says));
  const small = words.filter((w) => fn.has(w)).length;
  const distinct = new Set(words).size;
  const salad =
    words.length >= cfg.salad_min_words &&
    (small * 100 < cfg.salad_function_share * words.length ||
      distinct * 100 < cfg.salad_distinct_share * words.length);
  const content = [...new Set(words.filter((w) => !fn.has(w)).map((w) => canonical(w, syn)))];
  const summary = purpose.summary || "";
  let contextWords = wordTokens(summary);
  for (const [, keys] of parts)
    for (const k of keys) contextWords = contextWords.concat(wordTokens(k));
  const checkRelated = Boolean(summary) || (original !== undefined && original !== null);
  if (original !== undefined && original !== null)
    contextWords = contextWords.concat(safeWords(original, rules));
  const context = [
    ...new Set(contextWords.filter((w) => !fn.has(w)).map((w) => canonical(w, syn))),
  ];
  const related = content.filter((c) => context.some((k) => sameWord(c, k, prefixMin))).length;
  const unrelated = checkRelated && related < Math.min(cfg.min_related, content.length || 1);
  const kept = !salad && !unrelated && found.length >= needed;
  const joined =
    found.length <= 1
      ? found.join("")
      : found.slice(0, -1).join(", ") + " and " + found[found.length - 1];
  const values = {
    found: joined,
    needed: String(needed),
    keywords: parts.map(([says]) => says).join(", "),
    missing: missing.join(needed < parts.length ? " or " : " and "),
    summary: summary.trim(),
  };
  const lost = purpose.parts && purpose.parts.length ? "lost" : "lost_keywords";
  const key = kept ? "kept" : salad ? "salad" : unrelated && !found.length ? "unrelated" : lost;
  const message = cfg.messages[key].replace(
    /\{(found|needed|keywords|missing|summary)\}/g,
    (_, k) => values[k],
  );
  return { kept, found, needed, missing, salad, related, message };
}

export function keepsPurpose(text, keywords, minKeywords, rules) {
  if (!Array.isArray(keywords) || !keywords.every((k) => typeof k === "string")) {
    throw new TypeError("keywords must be a list of strings");
  }
  return checkPurpose(
    text,
    { keywords, min_keywords: minKeywords === undefined ? 1 : minKeywords },
    null,
    rules,
  );
}

// ------------------------------------------------------------------ softer words (softer.py)
// Rewrites still risky in softer words, read beside the original they rewrite: one linear
// model over the rewrite's words and pairs, alone and tied to the original's key.
const softerCache = new WeakMap();

function getSofter(rules) {
  const data = rules.model && rules.model.rewrite;
  if (!data) return null;
  let softer = softerCache.get(rules);
  if (softer === undefined) {
    const weights = new Map(data.index.map((b, k) => [b, data.weights[k]]));
    softer = { data, mask: 2 ** data.bits - 1, posts: new Set(data.posts), weights };
    softerCache.set(rules, softer);
  }
  return softer;
}

// softer.py's original_key, from the original's tokens
function originalKey(tokens) {
  const words = tokens.filter((t) => t.kind === "w" || t.kind === "m").map((t) => t.norm);
  return fnv1a(words.join(" ")).toString(16).padStart(8, "0");
}

// softer.py's _sentence: the sentence whose words (outside avoid) push the score up most.
function strongestSentence(tokens, parts, avoid) {
  const totals = new Map();
  tokens.forEach((t, i) => {
    if (parts[i] > 0 && !avoid.has(t.norm))
      totals.set(t.sent, (totals.get(t.sent) || 0) + parts[i]);
  });
  if (!totals.size) return null;
  let best = null;
  for (const [n, total] of totals) {
    if (best === null || total > totals.get(best) || (total === totals.get(best) && n < best))
      best = n;
  }
  const inside = tokens.filter((t) => t.sent === best);
  return [inside[0].start, inside[inside.length - 1].end];
}

function softerCheck(softer, text, original, message, small) {
  const originalTokens = tokenize(original);
  const key = originalKey(originalTokens);
  if (!softer.posts.has(key)) return null;
  const tokens = tokenize(text);
  const quiet = { flagged: false, start: 0, end: 0, message: "" };
  if (!tokens.length) return quiet;
  const perToken = tokenFeatures(tokens, 0, 0).map((fs) =>
    fs.concat(fs.map((f) => "o|" + key + "|" + f)).map((f) => bucketOf(softer, f)),
  );
  const weight = (b) => softer.weights.get(b) || 0;
  let score = softer.data.bias;
  for (const b of new Set(perToken.flat())) score += weight(b);
  if (score < softer.data.threshold) return quiet;
  const parts = perToken.map((own, i) => {
    const mine = new Set(own);
    if (i > 0) {
      mine.add(perToken[i - 1][1]);
      mine.add(perToken[i - 1][3]);
    }
    let sum = 0;
    for (const b of mine) sum += weight(b);
    return sum;
  });
  // the original's own words are what the rewrite keeps: they count only when nothing else does
  const plain = (norm) => (norm.endsWith("'s") ? norm.slice(0, -2) : norm);
  const kept = new Set(originalTokens.filter((t) => t.kind === "w").map((t) => plain(t.norm)));
  const avoid = new Set(small);
  for (const t of tokens) if (t.kind === "w" && kept.has(plain(t.norm))) avoid.add(t.norm);
  const [start, end] = strongestSentence(tokens, parts, avoid) ||
    strongestSentence(tokens, parts, small) || [0, 0];
  return { flagged: true, start, end, message };
}

// ------------------------------------------------------------------ the rewrite check (rewrite.py)

function wordCount(text) {
  return tokenize(text).filter((t) => t.kind === "w").length;
}

function sameWords(a, b) {
  const words = (text) =>
    tokenize(text)
      .filter((t) => t.kind === "w" || t.kind === "m")
      .map((t) => t.norm);
  const x = words(a);
  const y = words(b);
  return x.length === y.length && x.every((w, i) => w === y[i]);
}

export function checkRewrite(text, original, account, purpose, rules) {
  const review = reviewPost(text, account, rules);
  const softer = getSofter(rules);
  let stillRisky = null;
  if (softer && review.verdict === "ok") {
    if (softer.small === undefined) softer.small = new Set(rules.purpose.function_words || []);
    const message = rules.purpose.messages.still_risky;
    stillRisky = softerCheck(softer, text, original, message, softer.small);
  }
  const purposeResult = checkPurpose(text, purpose, original, rules);
  const words = wordCount(text);
  const minWords = rules.purpose.min_words;
  const changed = !sameWords(text, original);
  const longEnough = words >= minWords;
  return {
    passes:
      review.verdict === "ok" &&
      !(stillRisky && stillRisky.flagged) &&
      purposeResult.kept &&
      longEnough &&
      changed,
    verdict: review.verdict,
    findings: review.findings,
    still_risky: stillRisky,
    purpose: purposeResult,
    length: { words, min_words: minWords, ok: longEnough },
    changed,
  };
}

// ------------------------------------------------------------------ JSON like Python's

// The exact text of Python's json.dumps(value, ensure_ascii=False): ", " and ": " separators.
export function toPythonJson(value) {
  if (value === null || typeof value === "boolean") return String(value);
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw new TypeError("only whole numbers are supported");
    return String(value);
  }
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "[" + value.map(toPythonJson).join(", ") + "]";
  return (
    "{" +
    Object.entries(value)
      .map(([k, v]) => JSON.stringify(k) + ": " + toPythonJson(v))
      .join(", ") +
    "}"
  );
}
