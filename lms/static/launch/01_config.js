// launch/01_config.js: settings, the course config and the plain-book fallback.
// One part of the SCORM launch runtime; lms/package.py joins launch/*.js in name order inside one
// function scope ("use strict") into _scorm/launch.js.

var STORE = SMX_STORE; // progress_store.js, joined ahead of these parts
var COMMIT_DELAY_MS = 1000;
var CHECK_EVERY_MS = 30000;

function readConfig() {
  try {
    return JSON.parse(document.getElementById("smx-lms-config").textContent);
  } catch (_err) {
    return null;
  }
}

var CONFIG = readConfig();
var MANIFEST = window.COURSE_MANIFEST || null;

function pageUrl(page) {
  return encodeURI(page) + ".html";
}

function openPlainBook() {
  var start = (CONFIG && CONFIG.start) || "book/welcome";
  window.location.replace(pageUrl(start) + window.location.hash);
}
