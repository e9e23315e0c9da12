// launch/02_find_api.js: finding the LMS.
// One part of the SCORM launch runtime; lms/package.py joins launch/*.js in name order inside one
// function scope ("use strict") into _scorm/launch.js.

var API_NAMES = { 1.2: "API", 2004: "API_1484_11" };
var API_CALLS = {
  1.2: ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit"],
  2004: ["Initialize", "Terminate", "GetValue", "SetValue", "Commit"],
};

function apiIn(win, version) {
  try {
    var candidate = win[API_NAMES[version]];
    if (!candidate) return null;
    for (var i = 0; i < API_CALLS[version].length; i++) {
      if (typeof candidate[API_CALLS[version][i]] !== "function") return null;
    }
    return candidate;
  } catch (_err) {
    return null; // a window from another origin: look further up
  }
}

/** Walk up from `win` through its parents (at most 500 levels), as the SCORM books describe. */
function scan(win, version) {
  for (var depth = 0; win && depth < 500; depth++) {
    var found = apiIn(win, version);
    if (found) return found;
    var parent = null;
    try {
      parent = win.parent;
    } catch (_err) {
      parent = null;
    }
    if (!parent || parent === win) break;
    win = parent;
  }
  return null;
}

function findAPI(version) {
  var found = scan(window, version);
  var openers = [];
  try {
    openers.push(window.opener);
  } catch (_err) {
    /* no access */
  }
  try {
    openers.push(window.top.opener);
  } catch (_err) {
    /* no access */
  }
  for (var i = 0; !found && i < openers.length; i++) {
    if (openers[i]) found = scan(openers[i], version);
  }
  return found;
}

/** True when this page was opened inside the book frame of another launch page. */
function insideAnotherLaunchPage() {
  try {
    return window.parent !== window && Boolean(window.parent.SmxLms);
  } catch (_err) {
    return false;
  }
}
