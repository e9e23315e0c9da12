/*
 * launch.js: the SCORM runtime of the course's LMS packages (see lms/package.py).
 *
 * The package's launch page (index.html) is the one SCO. It finds the LMS's API the standard way
 * (the window.parent chain, then the opener's), initialises once, and shows the book in a frame,
 * so one LMS session covers every page the learner opens. The book's pages do not know about the
 * LMS: this page watches them (they are same-origin) and reads the learner's progress where the
 * pages keep it, as the progress page does: window.COURSE_MANIFEST for the chapters and their
 * exercises, and localStorage records "smcourse:<course>:<chapter>/<exercise>" and
 * "smcourse:<course>:visits". It also listens to the documented "course:exercise" events of each
 * page, so tracking still works when the browser blocks storage.
 *
 * What it tells the LMS:
 *   bookmark      the page on screen (1.2 cmi.core.lesson_location, 2004 cmi.location); the next
 *                 launch reopens it
 *   completion    "incomplete" until the course's completion rule holds (_config.yml
 *                 course.completion: every chapter visited, or every exercise completed), then
 *                 "completed"; it never goes back
 *   score         the share of graded self-checks answered correctly, as a percentage in raw (min
 *                 0, max 100) and, in 2004, as scaled (0 to 1)
 *   success       once complete: passed when score >= mastery score, else failed (1.2 puts this in
 *                 cmi.core.lesson_status; 2004 in cmi.success_status, "unknown" until complete).
 *                 The mastery score is the LMS's (1.2 cmi.student_data.mastery_score, 2004
 *                 cmi.scaled_passing_score) when it gives one, else _config.yml's.
 *   suspend_data  the learner's progress (pages visited, each exercise's result and, room
 *                 permitting, answer), so it follows the learner to another device. 1.2 allows
 *                 4096 characters, 2004 64000; answers are left out first when space runs short.
 *   exit          "suspend", so the LMS resumes the attempt next time
 * It commits about a second after each change, when the page is hidden and when it closes
 * (pagehide), and then finishes the session once. In review or browse mode it reports only the
 * bookmark. With no LMS API it opens the plain book instead.
 */
(function () {
  "use strict";

  var STORE = "smcourse";
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

  // ---------------------------------------------------------------- finding the LMS

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

  // ---------------------------------------------------------------- the two SCORM dialects

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

  // ---------------------------------------------------------------- browser storage

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

  // ---------------------------------------------------------------- the course's outline

  function courseId() {
    return (MANIFEST && MANIFEST.course && MANIFEST.course.id) || (CONFIG && CONFIG.course);
  }
  function prefix() {
    return STORE + ":" + courseId() + ":";
  }

  /** Every exercise of the course: {key: "chapter/id", graded: bool}, in reading order. */
  function allExercises() {
    var list = [];
    ((MANIFEST && MANIFEST.chapters) || []).forEach(function (chapter) {
      chapter.exercises.forEach(function (key, i) {
        list.push({ key: key, graded: Boolean(chapter.graded[i]) });
      });
    });
    return list;
  }

  function chapterIdOf(page) {
    var chapters = (MANIFEST && MANIFEST.chapters) || [];
    for (var i = 0; i < chapters.length; i++) if (chapters[i].page === page) return chapters[i].id;
    return null;
  }
  function pageOfChapter(id) {
    var chapters = (MANIFEST && MANIFEST.chapters) || [];
    for (var i = 0; i < chapters.length; i++) if (chapters[i].id === id) return chapters[i].page;
    return null;
  }

  function validRecord(record) {
    return record && record.v === 1 ? record : null;
  }

  // ---------------------------------------------------------------- suspend data
  //
  // JSON, kept short: {"v":1,"b":<base seconds>,"p":[chapter ids visited],
  //                    "e":{"<chapter>":{"<exercise>":[flags, attempts, seconds after b, score?, answer?]}}}
  // flags: 1 = completed, 2 = answered correctly. score is written only when it is not simply
  // 0 or 1 for wrong or right, or when an answer follows.

  function encodeSuspend(state, limit) {
    var keys = Object.keys(state.records).sort();
    var times = keys
      .map(function (k) {
        return Math.floor((state.records[k].updated || 0) / 1000);
      })
      .filter(function (t) {
        return t > 0;
      });
    var base = times.length ? Math.min.apply(null, times) : 0;
    var data = { v: 1, b: base, p: [], e: {} };
    Object.keys(state.visits)
      .sort()
      .forEach(function (page) {
        var id = chapterIdOf(page);
        if (id && data.p.indexOf(id) < 0) data.p.push(id);
      });
    var entries = [];
    keys.forEach(function (key) {
      var r = state.records[key];
      var cut = key.indexOf("/");
      if (cut < 0) return;
      var chapter = key.slice(0, cut);
      var id = key.slice(cut + 1);
      var updated = Math.floor((r.updated || 0) / 1000);
      var tuple = [
        (r.completed ? 1 : 0) | (r.correct ? 2 : 0),
        r.attempts || 0,
        updated > 0 ? updated - base : 0,
      ];
      var defaultScore = r.correct ? 1 : 0;
      var score = typeof r.score === "number" ? Math.round(r.score * 1000) / 1000 : defaultScore;
      var hasAnswer = r.answer !== undefined && r.answer !== null;
      if (score !== defaultScore || hasAnswer) tuple.push(score);
      if (hasAnswer) tuple.push(r.answer);
      if (!data.e[chapter]) data.e[chapter] = {};
      data.e[chapter][id] = tuple;
      entries.push(tuple);
    });
    var text = JSON.stringify(data);
    if (text.length <= limit) return text;
    // Too long: leave out answers, largest first, until it fits.
    var withAnswers = entries
      .filter(function (t) {
        return t.length === 5;
      })
      .sort(function (a, b) {
        return JSON.stringify(b[4]).length - JSON.stringify(a[4]).length;
      });
    for (var i = 0; i < withAnswers.length && text.length > limit; i++) {
      withAnswers[i].pop();
      if (withAnswers[i][3] === (withAnswers[i][0] & 2 ? 1 : 0)) withAnswers[i].pop();
      text = JSON.stringify(data);
    }
    if (text.length <= limit) return text;
    // Still too long: keep only exercises answered correctly or completed, without times.
    Object.keys(data.e).forEach(function (chapter) {
      Object.keys(data.e[chapter]).forEach(function (id) {
        var t = data.e[chapter][id];
        if (!t[0]) delete data.e[chapter][id];
        else data.e[chapter][id] = [t[0], t[1], 0];
      });
    });
    text = JSON.stringify(data);
    return text.length <= limit ? text : JSON.stringify({ v: 1, b: 0, p: data.p, e: {} });
  }

  function decodeSuspend(text) {
    var out = { visits: {}, records: {} };
    var data;
    try {
      data = JSON.parse(text || "null");
    } catch (_err) {
      return out;
    }
    if (!data || data.v !== 1 || typeof data !== "object") return out;
    var base = typeof data.b === "number" ? data.b : 0;
    (Array.isArray(data.p) ? data.p : []).forEach(function (id) {
      var page = pageOfChapter(id);
      if (page) out.visits[page] = true;
    });
    var known = {};
    allExercises().forEach(function (x) {
      known[x.key] = x;
    });
    var groups = data.e && typeof data.e === "object" ? data.e : {};
    Object.keys(groups).forEach(function (chapter) {
      var group = groups[chapter];
      if (!group || typeof group !== "object") return;
      Object.keys(group).forEach(function (id) {
        var t = group[id];
        var key = chapter + "/" + id;
        if (!known[key] || !Array.isArray(t) || typeof t[0] !== "number") return;
        var correct = Boolean(t[0] & 2);
        out.records[key] = {
          completed: Boolean(t[0] & 1),
          correct: correct,
          attempts: typeof t[1] === "number" ? t[1] : 1,
          updated: typeof t[2] === "number" && (base || t[2]) ? (base + t[2]) * 1000 : 0,
          score: typeof t[3] === "number" ? t[3] : correct ? 1 : 0,
          answer: t.length > 4 ? t[4] : undefined,
        };
      });
    });
    return out;
  }

  // ---------------------------------------------------------------- the session

  var S = {
    version: null,
    dialect: null,
    api: null,
    started: false,
    finished: false,
    startedAt: Date.now(),
    sent: {},
    refused: {},
    visits: {}, // pages seen in this session or restored from the LMS
    records: {}, // exercise results when the browser keeps no storage
    storage: false,
    completed: false,
    mode: "normal",
    mastery: null,
    bookmark: null,
    dirty: false,
    timer: null,
    reportTimer: null,
    errors: [],
    calls: { init: 0, finish: 0, commit: 0 },
  };

  function call(name, args) {
    try {
      var result = S.api[S.dialect[name]].apply(S.api, args || []);
      return result;
    } catch (err) {
      S.errors.push({ call: S.dialect[name], message: String(err && err.message) });
      return "false";
    }
  }
  function truthy(result) {
    return result === true || result === "true";
  }
  function lastError() {
    return String(call("error", []));
  }
  function getValue(element) {
    var value = call("get", [element]);
    return value === undefined || value === null ? "" : String(value);
  }
  /**
   * Set a value when it differs from what was last sent; returns true when it changed. An element
   * the LMS refuses three times (some LMSs do not implement every optional element) is left alone.
   */
  function put(element, value) {
    value = String(value);
    if (S.sent[element] === value || (S.refused[element] || 0) >= 3) return false;
    if (truthy(call("set", [element, value]))) {
      S.sent[element] = value;
      S.dirty = true;
      return true;
    }
    S.refused[element] = (S.refused[element] || 0) + 1;
    S.errors.push({ call: S.dialect.set, element: element, value: value, code: lastError() });
    return false;
  }

  function commitNow() {
    if (S.timer) {
      clearTimeout(S.timer);
      S.timer = null;
    }
    if (!S.started || S.finished || !S.dirty) return;
    S.dirty = false;
    S.calls.commit += 1;
    if (!truthy(call("commit", [""]))) {
      S.errors.push({ call: S.dialect.commit, code: lastError() });
      S.dirty = true;
    }
  }
  function commitSoon() {
    if (!S.timer) S.timer = setTimeout(commitNow, COMMIT_DELAY_MS);
  }

  // -------------------------------------------------------------- what the learner has done

  function readVisits() {
    var visits = {};
    var stored = S.storage ? readJSON(prefix() + "visits") : null;
    if (stored && typeof stored === "object") {
      Object.keys(stored).forEach(function (page) {
        visits[page] = true;
      });
    }
    Object.keys(S.visits).forEach(function (page) {
      visits[page] = true;
    });
    return visits;
  }

  function readRecords() {
    if (!S.storage) return S.records;
    var records = {};
    allExercises().forEach(function (x) {
      var r = validRecord(readJSON(prefix() + x.key));
      if (!r) return;
      records[x.key] = {
        completed: Boolean(r.completed),
        correct: Boolean(r.correct),
        attempts: r.attempts || 0,
        updated: Date.parse(r.updated) || 0,
        score: typeof r.score === "number" ? r.score : r.correct ? 1 : 0,
        answer: r.answer,
      };
    });
    return records;
  }

  /** Everything the LMS hears about, computed from the learner's progress. */
  function snapshot() {
    var visits = readVisits();
    var records = readRecords();
    var exercises = allExercises();
    var graded = 0;
    var correct = 0;
    var answered = 0;
    var done = 0;
    exercises.forEach(function (x) {
      var r = records[x.key];
      if (r && r.completed) done += 1;
      if (!x.graded) return;
      graded += 1;
      if (r) answered += 1;
      if (r && r.correct) correct += 1;
    });
    var required = (CONFIG && CONFIG.requiredPages) || [];
    var seen = required.filter(function (p) {
      return visits[p];
    }).length;
    var byExercises = CONFIG && CONFIG.completion === "all_exercises_completed" && exercises.length;
    var progress = byExercises
      ? done / exercises.length
      : required.length
        ? seen / required.length
        : 1;
    return {
      visits: visits,
      records: records,
      graded: graded,
      correct: correct,
      answered: answered,
      score: graded ? correct / graded : null,
      progress: progress,
      complete: progress >= 1,
    };
  }

  function round(n, places) {
    var f = Math.pow(10, places);
    return Math.round(n * f) / f;
  }

  /** Tell the LMS the current state; values that did not change are not sent again. */
  function report() {
    if (S.reportTimer) {
      clearTimeout(S.reportTimer);
      S.reportTimer = null;
    }
    if (!S.started || S.finished) return;
    var now = snapshot();
    if (now.complete) S.completed = true;
    var d = S.dialect;
    if (S.bookmark) put(d.location, S.bookmark.slice(0, d.locationMax));
    var tracking = S.mode !== "review" && S.mode !== "browse";
    if (tracking) {
      var showScore = now.score !== null && (now.answered > 0 || S.completed);
      var mastery = S.mastery;
      var verdict = null;
      if (S.completed && now.score !== null) verdict = now.score >= mastery ? "passed" : "failed";
      if (S.version === "1.2") {
        if (showScore) {
          put("cmi.core.score.min", "0");
          put("cmi.core.score.max", "100");
          put("cmi.core.score.raw", String(Math.round(now.score * 100)));
        }
        put("cmi.core.lesson_status", verdict || (S.completed ? "completed" : "incomplete"));
      } else {
        if (showScore) {
          put("cmi.score.min", "0");
          put("cmi.score.max", "100");
          put("cmi.score.raw", String(round(now.score * 100, 2)));
          put("cmi.score.scaled", String(round(now.score, 4)));
        }
        put(
          "cmi.progress_measure",
          String(S.completed ? 1 : Math.min(0.99, round(now.progress, 4))),
        );
        put("cmi.completion_status", S.completed ? "completed" : "incomplete");
        put("cmi.success_status", verdict || "unknown");
      }
      put(d.suspend, encodeSuspend(now, d.suspendMax));
    }
    if (S.dirty) commitSoon();
  }

  function reportSoon() {
    if (!S.reportTimer) S.reportTimer = setTimeout(report, 50);
  }

  function finish() {
    if (!S.started || S.finished) return;
    report();
    put(S.dialect.sessionTime, formatTime(Date.now() - S.startedAt, S.version));
    put(S.dialect.exit, "suspend");
    S.dirty = true;
    commitNow();
    S.finished = true;
    S.calls.finish += 1;
    if (!truthy(call("finish", [""]))) {
      S.errors.push({ call: S.dialect.finish, code: lastError() });
    }
  }

  // -------------------------------------------------------------- bringing progress back

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

  // -------------------------------------------------------------- the book frame

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
      var mastery =
        S.version === "1.2"
          ? parseFloat(getValue("cmi.student_data.mastery_score")) / 100
          : parseFloat(getValue("cmi.scaled_passing_score"));
      S.mastery =
        Number.isFinite(mastery) && mastery >= 0 && mastery <= 1 ? mastery : CONFIG.masteryScore;
      var status =
        S.version === "1.2"
          ? getValue("cmi.core.lesson_status")
          : getValue("cmi.completion_status");
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

  // ---------------------------------------------------------------- start

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
})();
