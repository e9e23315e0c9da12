// launch/08_progress.js: what the learner has done.
// One part of the SCORM launch runtime; lms/package.py joins launch/*.js in name order inside one
// function scope ("use strict") into _scorm/launch.js.

function readVisits() {
  var visits = {};
  var stored = S.storage ? readJSON(prefix() + "visits") : null;
  if (stored && typeof stored === "object") {
    Object.keys(stored).forEach(function (page) {
      visits[page] = true;
    });
  }
  Object.keys(S.visits).forEach(function (page) {
    visits[page] = true;
  });
  return visits;
}

function readRecords() {
  if (!S.storage) return S.records;
  var records = {};
  allExercises().forEach(function (x) {
    var r = validRecord(readJSON(prefix() + x.key));
    if (!r) return;
    records[x.key] = {
      completed: Boolean(r.completed),
      correct: Boolean(r.correct),
      attempts: r.attempts || 0,
      updated: Date.parse(r.updated) || 0,
      score: typeof r.score === "number" ? r.score : r.correct ? 1 : 0,
      answer: r.answer,
    };
  });
  return records;
}

/** Everything the LMS hears about, computed from the learner's progress. */
function snapshot() {
  var visits = readVisits();
  var records = readRecords();
  var exercises = allExercises();
  var graded = 0;
  var correct = 0;
  var answered = 0;
  var done = 0;
  exercises.forEach(function (x) {
    var r = records[x.key];
    if (r && r.completed) done += 1;
    if (!x.graded) return;
    graded += 1;
    if (r) answered += 1;
    if (r && r.correct) correct += 1;
  });
  var required = (CONFIG && CONFIG.requiredPages) || [];
  var seen = required.filter(function (p) {
    return visits[p];
  }).length;
  var byExercises = CONFIG && CONFIG.completion === "all_exercises_completed" && exercises.length;
  var progress = byExercises
    ? done / exercises.length
    : required.length
      ? seen / required.length
      : 1;
  return {
    visits: visits,
    records: records,
    graded: graded,
    correct: correct,
    answered: answered,
    score: graded ? correct / graded : null,
    progress: progress,
    complete: progress >= 1,
  };
}

function round(n, places) {
  var f = Math.pow(10, places);
  return Math.round(n * f) / f;
}

/** Tell the LMS the current state; values that did not change are not sent again. */
function report() {
  if (S.reportTimer) {
    clearTimeout(S.reportTimer);
    S.reportTimer = null;
  }
  if (!S.started || S.finished) return;
  var now = snapshot();
  if (now.complete) S.completed = true;
  var d = S.dialect;
  if (S.bookmark) put(d.location, S.bookmark.slice(0, d.locationMax));
  var tracking = S.mode !== "review" && S.mode !== "browse";
  if (tracking) {
    var showScore = now.score !== null && (now.answered > 0 || S.completed);
    var mastery = S.mastery;
    var verdict = null;
    if (S.completed && now.score !== null) verdict = now.score >= mastery ? "passed" : "failed";
    d.result(now, showScore, verdict);
    put(d.suspend, encodeSuspend(now, d.suspendMax));
  }
  if (S.dirty) commitSoon();
}

function reportSoon() {
  if (!S.reportTimer) S.reportTimer = setTimeout(report, 50);
}

function finish() {
  if (!S.started || S.finished) return;
  report();
  put(S.dialect.sessionTime, formatTime(Date.now() - S.startedAt, S.version));
  put(S.dialect.exit, "suspend");
  S.dirty = true;
  commitNow();
  S.finished = true;
  S.calls.finish += 1;
  if (!truthy(call("finish", [""]))) {
    S.errors.push({ call: S.dialect.finish, code: lastError() });
  }
}
