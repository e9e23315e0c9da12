// launch/10_book_frame.js: the book frame.
// One part of the SCORM launch runtime; lms/package.py joins launch/*.js in name order inside one
// function scope ("use strict") into _scorm/launch.js.

function showNotice(text) {
  var box = document.getElementById("smx-lms-notice");
  if (!box) return;
  box.textContent = text;
  box.hidden = false;
}

function noteExercise(detail) {
  if (!detail || typeof detail.id !== "string") return;
  var before = S.records[detail.id];
  S.records[detail.id] = {
    completed: detail.status === "completed" || Boolean(before && before.completed),
    correct: Boolean(detail.correct),
    attempts: detail.attempts || ((before && before.attempts) || 0) + 1,
    updated: Date.now(),
    score: typeof detail.score === "number" ? detail.score : detail.correct ? 1 : 0,
    answer: before && before.answer,
  };
}

function onBookLoad(frame) {
  var win;
  var doc;
  try {
    win = frame.contentWindow;
    doc = frame.contentDocument;
    if (!doc || !doc.documentElement) return;
  } catch (_err) {
    return; // a page from elsewhere (an outside link): nothing to read
  }
  var meta = doc.querySelector('meta[name="smx-page"]');
  var page = meta && meta.getAttribute("content");
  if (page) {
    S.visits[page] = true;
    if (CONFIG.pages.indexOf(page) >= 0) S.bookmark = page;
  }
  if (doc.title) document.title = doc.title;
  // Links to other sites open in a new tab: many sites refuse to be shown inside a frame.
  Array.prototype.forEach.call(doc.querySelectorAll("a[href]"), function (a) {
    if (/^https?:$/.test(a.protocol) && a.host !== window.location.host) {
      a.target = "_blank";
      a.rel = "noopener";
    }
  });
  win.addEventListener("course:exercise", function (event) {
    noteExercise(event.detail);
    reportSoon();
  });
  report();
}

function start() {
  var frame = document.getElementById("smx-book");
  var opening = document.getElementById("smx-lms-opening");
  var d = S.dialect;
  S.calls.init += 1;
  S.started = truthy(call("init", [""]));
  var first = CONFIG.start;
  if (!S.started) {
    showNotice(
      "Your LMS did not open a session for this course (error " +
        lastError() +
        "), so it will not see your progress. Your answers are still saved in this browser.",
    );
  } else {
    S.storage = storageWorks();
    var entry = getValue(d.entry);
    var learner = getValue(d.learner);
    S.mode = getValue(d.mode) || "normal";
    var mastery = d.mastery();
    S.mastery =
      Number.isFinite(mastery) && mastery >= 0 && mastery <= 1 ? mastery : CONFIG.masteryScore;
    var status = getValue(d.status);
    S.completed = ["completed", "passed", "failed"].indexOf(status) >= 0;
    restore(decodeSuspend(getValue(d.suspend)), learner, entry);
    var bookmark = getValue(d.location);
    if (CONFIG.pages.indexOf(bookmark) >= 0) first = bookmark;
    S.bookmark = first;
    put(d.exit, "suspend");
    report();
    commitNow();
    window.addEventListener("storage", function (event) {
      if (event.key === null || String(event.key).indexOf(prefix()) === 0) reportSoon();
    });
    setInterval(function () {
      report();
      commitNow();
    }, CHECK_EVERY_MS);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        report();
        commitNow();
      }
    });
    window.addEventListener("pagehide", finish);
    window.addEventListener("pageshow", function (event) {
      if (event.persisted && S.finished) {
        showNotice("This visit to the course has ended. Open the course again from your LMS.");
      }
    });
  }
  frame.addEventListener("load", function () {
    if (S.started) onBookLoad(frame);
  });
  frame.src = pageUrl(first);
  frame.hidden = false;
  if (opening) opening.hidden = true;
}
