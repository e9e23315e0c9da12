// launch/11_start.js: start.
// One part of the SCORM launch runtime; lms/package.py joins launch/*.js in name order inside one
// function scope ("use strict") into _scorm/launch.js.

// Find the LMS, or open the plain book; then watch the book until the learner leaves.
function boot() {
  var version = CONFIG && CONFIG.scorm;
  var api = version && DIALECTS[version] ? findAPI(version) : null;
  if (!CONFIG || !MANIFEST || !api || insideAnotherLaunchPage()) {
    openPlainBook();
    return;
  }
  S.version = version;
  S.dialect = DIALECTS[version];
  S.api = api;

  window.SmxLms = {
    version: version,
    state: function () {
      return {
        started: S.started,
        finished: S.finished,
        storage: S.storage,
        completed: S.completed,
        mastery: S.mastery,
        bookmark: S.bookmark,
        sent: Object.assign({}, S.sent),
        errors: S.errors.slice(),
        calls: Object.assign({}, S.calls),
      };
    },
    snapshot: snapshot,
    encodeSuspend: encodeSuspend,
    decodeSuspend: decodeSuspend,
    formatTime: formatTime,
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}

boot();
