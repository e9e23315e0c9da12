// launch/07_session.js: the session.
// One part of the SCORM launch runtime; lms/package.py joins launch/*.js in name order inside one
// function scope ("use strict") into _scorm/launch.js.

var S = {
  version: null,
  dialect: null,
  api: null,
  started: false,
  finished: false,
  startedAt: Date.now(),
  sent: {},
  refused: {},
  visits: {}, // pages seen in this session or restored from the LMS
  records: {}, // exercise results when the browser keeps no storage
  storage: false,
  completed: false,
  mode: "normal",
  mastery: null,
  bookmark: null,
  dirty: false,
  timer: null,
  reportTimer: null,
  errors: [],
  calls: { init: 0, finish: 0, commit: 0 },
};

function call(name, args) {
  try {
    var result = S.api[S.dialect[name]].apply(S.api, args || []);
    return result;
  } catch (err) {
    S.errors.push({ call: S.dialect[name], message: String(err && err.message) });
    return "false";
  }
}
function truthy(result) {
  return result === true || result === "true";
}
function lastError() {
  return String(call("error", []));
}
function getValue(element) {
  var value = call("get", [element]);
  return value === undefined || value === null ? "" : String(value);
}
/**
 * Set a value when it differs from what was last sent; returns true when it changed. An element
 * the LMS refuses three times (some LMSs do not implement every optional element) is left alone.
 */
function put(element, value) {
  value = String(value);
  if (S.sent[element] === value || (S.refused[element] || 0) >= 3) return false;
  if (truthy(call("set", [element, value]))) {
    S.sent[element] = value;
    S.dirty = true;
    return true;
  }
  S.refused[element] = (S.refused[element] || 0) + 1;
  S.errors.push({ call: S.dialect.set, element: element, value: value, code: lastError() });
  return false;
}

function commitNow() {
  if (S.timer) {
    clearTimeout(S.timer);
    S.timer = null;
  }
  if (!S.started || S.finished || !S.dirty) return;
  S.dirty = false;
  S.calls.commit += 1;
  if (!truthy(call("commit", [""]))) {
    S.errors.push({ call: S.dialect.commit, code: lastError() });
    S.dirty = true;
  }
}
function commitSoon() {
  if (!S.timer) S.timer = setTimeout(commitNow, COMMIT_DELAY_MS);
}
