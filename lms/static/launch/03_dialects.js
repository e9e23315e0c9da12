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
  if (version === "1.2") {
    return pad(h, 4) + ":" + pad(m, 2) + ":" + pad(Math.floor(s), 2) + "." + pad(cs % 100, 2);
  }
  return "PT" + h + "H" + m + "M" + s.toFixed(2).replace(/\.?0+$/, "") + "S";
}
