// launch/09_restore.js: bringing progress back.
// One part of the SCORM launch runtime; lms/package.py joins launch/*.js in name order inside one
// function scope ("use strict") into _scorm/launch.js.

function clearCourseStorage() {
  try {
    Object.keys(window.localStorage)
      .filter(function (k) {
        return k.indexOf(prefix()) === 0;
      })
      .forEach(function (k) {
        window.localStorage.removeItem(k);
      });
  } catch (_err) {
    /* nothing kept */
  }
}

/**
 * Put the progress the LMS kept for this learner into this browser, so the book's pages show
 * it. What this browser holds for another learner (a shared computer), or from an attempt the
 * LMS has closed, is cleared first; otherwise the newer of each exercise's two results wins.
 */
function restore(saved, learner, entry) {
  S.visits = {};
  Object.keys(saved.visits).forEach(function (page) {
    S.visits[page] = true;
  });
  S.records = {};
  Object.keys(saved.records).forEach(function (key) {
    S.records[key] = saved.records[key];
  });
  if (!S.storage) return;
  var markerKey = prefix() + "lms-learner";
  var marker = readJSON(markerKey);
  if (!marker || marker.learner !== learner || entry === "ab-initio") clearCourseStorage();
  storageSet(markerKey, JSON.stringify({ learner: learner }));
  var visits = readJSON(prefix() + "visits") || {};
  var stamp = new Date().toISOString();
  Object.keys(saved.visits).forEach(function (page) {
    if (!visits[page]) visits[page] = stamp;
  });
  storageSet(prefix() + "visits", JSON.stringify(visits));
  var graded = {};
  allExercises().forEach(function (x) {
    graded[x.key] = x.graded;
  });
  Object.keys(saved.records).forEach(function (key) {
    var mine = saved.records[key];
    var local = validRecord(readJSON(prefix() + key));
    if (local && (Date.parse(local.updated) || 0) >= mine.updated) return;
    var cut = key.indexOf("/");
    var record = {
      v: 1,
      course: courseId(),
      chapter: key.slice(0, cut),
      exercise: key.slice(cut + 1),
      graded: graded[key],
      attempts: mine.attempts,
      correct: mine.correct,
      completed: mine.completed,
      score: mine.score,
      updated: new Date(mine.updated || Date.now()).toISOString(),
      restored: "lms",
    };
    if (mine.answer !== undefined) record.answer = mine.answer;
    storageSet(prefix() + key, JSON.stringify(record));
  });
}
