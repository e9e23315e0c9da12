// launch/03_dialects.js: the two SCORM dialects.
// One part of the SCORM launch runtime; lms/package.py joins launch/*.js in name order inside one
// function scope ("use strict") into _scorm/launch.js.

var DIALECTS = {
  1.2: {
    init: "LMSInitialize",
    finish: "LMSFinish",
    get: "LMSGetValue",
    set: "LMSSetValue",
    commit: "LMSCommit",
    error: "LMSGetLastError",
    location: "cmi.core.lesson_location",
    locationMax: 255,
    suspend: "cmi.suspend_data",
    suspendMax: 4096,
    exit: "cmi.core.exit",
    entry: "cmi.core.entry",
    learner: "cmi.core.student_id",
    mode: "cmi.core.lesson_mode",
    sessionTime: "cmi.core.session_time",
    status: "cmi.core.lesson_status",
    // the mastery score the LMS took from the manifest, as a share from 0 to 1
    mastery: function () {
      return parseFloat(getValue("cmi.student_data.mastery_score")) / 100;
    },
    time: function (h, m, s, cs) {
      return pad(h, 4) + ":" + pad(m, 2) + ":" + pad(Math.floor(s), 2) + "." + pad(cs % 100, 2);
    },
    // score and status: one status field, passed/failed once complete
    result: function (now, showScore, verdict) {
      if (showScore) {
        put("cmi.core.score.min", "0");
        put("cmi.core.score.max", "100");
        put("cmi.core.score.raw", String(Math.round(now.score * 100)));
      }
      put("cmi.core.lesson_status", verdict || (S.completed ? "completed" : "incomplete"));
    },
  },
  2004: {
    init: "Initialize",
    finish: "Terminate",
    get: "GetValue",
    set: "SetValue",
    commit: "Commit",
    error: "GetLastError",
    location: "cmi.location",
    locationMax: 1000,
    suspend: "cmi.suspend_data",
    suspendMax: 64000,
    exit: "cmi.exit",
    entry: "cmi.entry",
    learner: "cmi.learner_id",
    mode: "cmi.mode",
    sessionTime: "cmi.session_time",
    status: "cmi.completion_status",
    mastery: function () {
      return parseFloat(getValue("cmi.scaled_passing_score"));
    },
    time: function (h, m, s) {
      return "PT" + h + "H" + m + "M" + s.toFixed(2).replace(/\.?0+$/, "") + "S";
    },
    // score, progress, and completion and success apart
    result: function (now, showScore, verdict) {
      if (showScore) {
        put("cmi.score.min", "0");
        put("cmi.score.max", "100");
        put("cmi.score.raw", String(round(now.score * 100, 2)));
        put("cmi.score.scaled", String(round(now.score, 4)));
      }
      put("cmi.progress_measure", String(S.completed ? 1 : Math.min(0.99, round(now.progress, 4))));
      put("cmi.completion_status", S.completed ? "completed" : "incomplete");
      put("cmi.success_status", verdict || "unknown");
    },
  },
};

function pad(n, width) {
  var s = String(n);
  while (s.length < width) s = "0" + s;
  return s;
}

/** Session time: 1.2 "HHHH:MM:SS.SS", 2004 ISO 8601 "PT#H#M#S". */
function formatTime(ms, version) {
  var cs = Math.max(0, Math.round(ms / 10));
  var h = Math.min(9999, Math.floor(cs / 360000));
  var m = Math.floor(cs / 6000) % 60;
  var s = (cs % 6000) / 100;
  return DIALECTS[version].time(h, m, s, cs);
}
