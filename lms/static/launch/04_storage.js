// launch/04_storage.js: browser storage.
// One part of the SCORM launch runtime; lms/package.py joins launch/*.js in name order inside one
// function scope ("use strict") into _scorm/launch.js.

// Reads and writes go through progress_store.js, the one definition the book's pages use too.
var storageSet = smxStorageSet;

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
  return smxReadJSON(key, null);
}
