// progress_store.js: how the course keeps a learner's progress in the browser, in one place:
// the storage keys, the record format and safe reads and writes. Storage may be blocked (private
// windows, cross-site LMS frames): then nothing is kept and nothing fails.
//
// Three places run this same file: every widget module (exercises/widgets.py puts it ahead of
// core.js), the page host (loaded before course.js on every page) and the SCORM launch runtime
// (lms/package.py joins it in, from the built site). Plain declarations only, so it works both
// as a classic script and inside a module.
//
// Keys: smcourse:<course id>:<chapter>/<exercise id> holds one exercise's record
// {v: 1, course, chapter, exercise, type, graded, answer, attempts, correct, completed, score,
// updated}; smcourse:<course id>:visits maps each visited page to when it was last opened;
// smcourse:<course id>:learner is a random id that seeds the order each learner sees options in.

var SMX_STORE = "smcourse";
var SMX_RECORD_VERSION = 1;

function smxPrefix(course) {
  return SMX_STORE + ":" + course + ":";
}

function smxExerciseKey(course, id) {
  return smxPrefix(course) + id;
}

function smxVisitsKey(course) {
  return smxPrefix(course) + "visits";
}

function smxStorageGet(key) {
  try {
    return window.localStorage.getItem(key);
  } catch (_err) {
    return null;
  }
}

function smxStorageSet(key, value) {
  try {
    window.localStorage.setItem(key, value);
    return true;
  } catch (_err) {
    return false;
  }
}

function smxStorageRemove(key) {
  try {
    window.localStorage.removeItem(key);
    return true;
  } catch (_err) {
    return false;
  }
}

function smxReadJSON(key, fallback) {
  var value = null;
  try {
    value = JSON.parse(smxStorageGet(key) || "null");
  } catch (_err) {
    value = null;
  }
  return value === null ? fallback : value;
}

function smxIsRecord(record) {
  return Boolean(record) && typeof record === "object" && record.v === SMX_RECORD_VERSION;
}

/** One exercise's saved record (id is "<chapter>/<exercise id>"), or null. */
function smxReadRecord(course, id) {
  var record = smxReadJSON(smxExerciseKey(course, id), null);
  return smxIsRecord(record) ? record : null;
}

function smxReadVisits(course) {
  var visits = smxReadJSON(smxVisitsKey(course), {});
  return visits && typeof visits === "object" ? visits : {};
}

/**
 * What seeds this learner's option order: inside an LMS, the learner the SCORM runtime recorded
 * (the same order on every device); otherwise a random id made once and kept with the progress.
 * With storage blocked it is "" (every learner then sees one fixed, still shuffled, order).
 */
function smxLearnerSeed(course) {
  var lms = smxReadJSON(smxPrefix(course) + "lms-learner", null);
  if (lms && typeof lms.learner === "string" && lms.learner) return "lms:" + lms.learner;
  var key = smxPrefix(course) + "learner";
  var seed = smxStorageGet(key);
  if (seed) return seed;
  seed = Math.random().toString(36).slice(2, 12);
  return smxStorageSet(key, seed) ? seed : "";
}
