// launch/04_storage.js: browser storage.
// One part of the SCORM launch runtime; lms/package.py joins launch/*.js in name order inside one
// function scope ("use strict") into _scorm/launch.js.

function storageGet(key) {
  try {
    return window.localStorage.getItem(key);
  } catch (_err) {
    return null;
  }
}
function storageSet(key, value) {
  try {
    window.localStorage.setItem(key, value);
    return true;
  } catch (_err) {
    return false;
  }
}
function storageWorks() {
  var probe = STORE + ":probe";
  try {
    window.localStorage.setItem(probe, "1");
    window.localStorage.removeItem(probe);
    return true;
  } catch (_err) {
    return false;
  }
}
function readJSON(key) {
  try {
    return JSON.parse(storageGet(key) || "null");
  } catch (_err) {
    return null;
  }
}
