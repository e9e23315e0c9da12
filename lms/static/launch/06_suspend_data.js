// launch/06_suspend_data.js: suspend data.
// One part of the SCORM launch runtime; lms/package.py joins launch/*.js in name order inside one
// function scope ("use strict") into _scorm/launch.js.

//
// JSON, kept short: {"v":1,"b":<base seconds>,"p":[chapter ids visited],
//                    "e":{"<chapter>":{"<exercise>":[flags, attempts, seconds after b, score?, answer?]}}}
// flags: 1 = completed, 2 = answered correctly. score is written only when it is not simply
// 0 or 1 for wrong or right, or when an answer follows.

function encodeSuspend(state, limit) {
  var keys = Object.keys(state.records).sort();
  var times = keys
    .map(function (k) {
      return Math.floor((state.records[k].updated || 0) / 1000);
    })
    .filter(function (t) {
      return t > 0;
    });
  var base = times.length ? Math.min.apply(null, times) : 0;
  var data = { v: 1, b: base, p: [], e: {} };
  Object.keys(state.visits)
    .sort()
    .forEach(function (page) {
      var id = chapterIdOf(page);
      if (id && data.p.indexOf(id) < 0) data.p.push(id);
    });
  var entries = [];
  keys.forEach(function (key) {
    var r = state.records[key];
    var cut = key.indexOf("/");
    if (cut < 0) return;
    var chapter = key.slice(0, cut);
    var id = key.slice(cut + 1);
    var updated = Math.floor((r.updated || 0) / 1000);
    var tuple = [
      (r.completed ? 1 : 0) | (r.correct ? 2 : 0),
      r.attempts || 0,
      updated > 0 ? updated - base : 0,
    ];
    var defaultScore = r.correct ? 1 : 0;
    var score = typeof r.score === "number" ? Math.round(r.score * 1000) / 1000 : defaultScore;
    var hasAnswer = r.answer !== undefined && r.answer !== null;
    if (score !== defaultScore || hasAnswer) tuple.push(score);
    if (hasAnswer) tuple.push(r.answer);
    if (!data.e[chapter]) data.e[chapter] = {};
    data.e[chapter][id] = tuple;
    entries.push(tuple);
  });
  var text = JSON.stringify(data);
  if (text.length <= limit) return text;
  // Too long: leave out answers, largest first, until it fits.
  var withAnswers = entries
    .filter(function (t) {
      return t.length === 5;
    })
    .sort(function (a, b) {
      return JSON.stringify(b[4]).length - JSON.stringify(a[4]).length;
    });
  for (var i = 0; i < withAnswers.length && text.length > limit; i++) {
    withAnswers[i].pop();
    if (withAnswers[i][3] === (withAnswers[i][0] & 2 ? 1 : 0)) withAnswers[i].pop();
    text = JSON.stringify(data);
  }
  if (text.length <= limit) return text;
  // Still too long: keep only exercises answered correctly or completed, without times.
  Object.keys(data.e).forEach(function (chapter) {
    Object.keys(data.e[chapter]).forEach(function (id) {
      var t = data.e[chapter][id];
      if (!t[0]) delete data.e[chapter][id];
      else data.e[chapter][id] = [t[0], t[1], 0];
    });
  });
  text = JSON.stringify(data);
  return text.length <= limit ? text : JSON.stringify({ v: 1, b: 0, p: data.p, e: {} });
}

function decodeSuspend(text) {
  var out = { visits: {}, records: {} };
  var data;
  try {
    data = JSON.parse(text || "null");
  } catch (_err) {
    return out;
  }
  if (!data || data.v !== 1 || typeof data !== "object") return out;
  var base = typeof data.b === "number" ? data.b : 0;
  (Array.isArray(data.p) ? data.p : []).forEach(function (id) {
    var page = pageOfChapter(id);
    if (page) out.visits[page] = true;
  });
  var known = {};
  allExercises().forEach(function (x) {
    known[x.key] = x;
  });
  var groups = data.e && typeof data.e === "object" ? data.e : {};
  Object.keys(groups).forEach(function (chapter) {
    var group = groups[chapter];
    if (!group || typeof group !== "object") return;
    Object.keys(group).forEach(function (id) {
      var t = group[id];
      var key = chapter + "/" + id;
      if (!known[key] || !Array.isArray(t) || typeof t[0] !== "number") return;
      var correct = Boolean(t[0] & 2);
      out.records[key] = {
        completed: Boolean(t[0] & 1),
        correct: correct,
        attempts: typeof t[1] === "number" ? t[1] : 1,
        updated: typeof t[2] === "number" && (base || t[2]) ? (base + t[2]) * 1000 : 0,
        score: typeof t[3] === "number" ? t[3] : correct ? 1 : 0,
        answer: t.length > 4 ? t[4] : undefined,
      };
    });
  });
  return out;
}
