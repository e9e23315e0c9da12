/*
 * course.js: the course's only page script. Loaded (deferred) on every page of the book.
 *
 * 1. A static host for anywidget front-end modules. myst-nb embeds each page's widget state in
 *    <script type="application/vnd.jupyter.widget-state+json"> and marks every place a widget was
 *    displayed with <script type="application/vnd.jupyter.widget-view+json">. This host reads
 *    both and runs each anywidget module the way anywidget does in JupyterLab: it imports the
 *    model's `_esm` source from a Blob URL and calls `initialize({model})` and
 *    `render({model, el})` with a model offering get/set/on/off/save_changes/send. There is no
 *    kernel, so save_changes keeps values in the page and send goes nowhere. This replaces the
 *    CDN loader (require.js + @jupyter-widgets/html-manager) that myst-nb uses by default.
 * 2. Progress: records which pages were visited, renders the progress page, and re-broadcasts
 *    nothing: all learner data stays in localStorage in this browser.
 *
 * Events (documented in the README, "Progress events"):
 *   window "course:exercise"  detail {course, chapter, exercise, id, type, graded, status, correct,
 *                                     score, attempts}  (dispatched by the exercise widgets)
 *   window "course:page"      detail {course, page, title, chapter}  (each page load)
 *   window "course:ready"     detail {widgets, failed, ms}  (all widgets on the page mounted)
 *
 * It is a classic script, not a module, so the site also works when opened from file://.
 */
(function () {
  "use strict";

  var STATE_TYPE = "application/vnd.jupyter.widget-state+json";
  var VIEW_TYPE = "application/vnd.jupyter.widget-view+json";
  // Storage keys and records: progress_store.js, loaded before this file (one definition for
  // the page host, the widgets and the SCORM runtime).
  var STORE = SMX_STORE;
  var manifest = window.COURSE_MANIFEST || null;

  // ---------------------------------------------------------------- anywidget host

  function WidgetModel(id, state, manager) {
    this.id = id;
    this._state = Object.assign({}, state);
    this._listeners = {};
    this.widget_manager = manager;
  }
  WidgetModel.prototype.get = function (name) {
    return this._state[name];
  };
  WidgetModel.prototype.set = function (name, value) {
    var old = this._state[name];
    this._state[name] = value;
    if (old !== value) {
      this._emit("change:" + name, value);
      this._emit("change", name);
    }
  };
  WidgetModel.prototype.on = function (event, callback) {
    if (!this._listeners[event]) this._listeners[event] = [];
    this._listeners[event].push(callback);
  };
  WidgetModel.prototype.off = function (event, callback) {
    if (!event) {
      this._listeners = {};
    } else if (!callback) {
      delete this._listeners[event];
    } else {
      this._listeners[event] = (this._listeners[event] || []).filter(function (cb) {
        return cb !== callback;
      });
    }
  };
  WidgetModel.prototype.save_changes = function () {
    /* No kernel to sync with in a static page: values stay in this model. */
  };
  WidgetModel.prototype.send = function () {
    /* No kernel to receive custom messages in a static page. */
  };
  WidgetModel.prototype._emit = function (event, value) {
    (this._listeners[event] || []).slice().forEach(function (cb) {
      try {
        cb(value);
      } catch (err) {
        console.error(err);
      }
    });
  };

  var moduleCache = new Map();
  function importSource(source) {
    if (!moduleCache.has(source)) {
      var url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
      moduleCache.set(
        source,
        import(url).finally(function () {
          URL.revokeObjectURL(url);
        }),
      );
    }
    return moduleCache.get(source);
  }

  function readWidgetState() {
    var script = document.querySelector('script[type="' + STATE_TYPE + '"]');
    if (!script) return null;
    var data = JSON.parse(script.textContent);
    var shared = data.smx_shared || {};
    var models = data.state || {};
    // The build moves long strings that several models share (the modules' source) into
    // `smx_shared`, leaving {"$smx": [key, ...]} behind (parts to join); put them back.
    Object.keys(models).forEach(function (id) {
      var state = models[id].state || {};
      Object.keys(state).forEach(function (key) {
        var value = state[key];
        if (value && typeof value === "object" && Array.isArray(value.$smx)) {
          state[key] = value.$smx
            .map(function (part) {
              return shared[part];
            })
            .join("");
        }
      });
    });
    return models;
  }

  function notice(host, message) {
    var box = document.createElement("div");
    box.className = "smx-static-notice";
    box.setAttribute("role", "note");
    var strong = document.createElement("strong");
    strong.textContent = "This interactive part cannot run here. ";
    box.append(strong, document.createTextNode(message));
    host.replaceChildren(box);
  }

  function hostFor(viewScript) {
    var holder = viewScript.closest(".smx-host");
    if (holder) return holder.querySelector(".smx-mount") || holder;
    var mount = document.createElement("div");
    mount.className = "smx-mount";
    viewScript.after(mount);
    return mount;
  }

  function mountWidgets() {
    var views = Array.prototype.slice.call(
      document.querySelectorAll('script[type="' + VIEW_TYPE + '"]'),
    );
    if (views.length === 0) return Promise.resolve({ widgets: 0, failed: 0 });
    var models;
    try {
      models = readWidgetState();
    } catch (err) {
      models = null;
      console.error("course.js: the widget state in this page is not valid JSON", err);
    }
    var manager = {
      get_model: function (id) {
        return Promise.resolve(instances[id]);
      },
    };
    var instances = {};
    var failed = 0;
    var jobs = views.map(function (script) {
      var host = hostFor(script);
      var view;
      try {
        view = JSON.parse(script.textContent);
      } catch (_err) {
        failed += 1;
        notice(host, "Its description in the page is damaged.");
        return Promise.resolve();
      }
      var entry = models && models[view.model_id];
      if (!entry) {
        failed += 1;
        notice(host, "Its saved state is missing from this page. Rebuild the book to fix this.");
        return Promise.resolve();
      }
      if (entry.model_module !== "anywidget" || !entry.state || !entry.state._esm) {
        failed += 1;
        notice(
          host,
          "It needs a live Python kernel. Open this chapter as a notebook in JupyterLab to use it.",
        );
        return Promise.resolve();
      }
      var model = instances[view.model_id];
      if (!model) {
        model = new WidgetModel(view.model_id, entry.state, manager);
        instances[view.model_id] = model;
      }
      if (
        entry.state._css &&
        !document.querySelector('style[data-smx-css="' + entry.state._anywidget_id + '"]')
      ) {
        var style = document.createElement("style");
        style.setAttribute("data-smx-css", entry.state._anywidget_id || view.model_id);
        style.textContent = entry.state._css;
        document.head.append(style);
      }
      return importSource(entry.state._esm)
        .then(function (mod) {
          var widget = mod.default;
          return typeof widget === "function" ? widget() : widget;
        })
        .then(function (widget) {
          if (
            !widget ||
            (typeof widget.render !== "function" && typeof widget.initialize !== "function")
          ) {
            throw new Error("the module has no render function");
          }
          var ready = model._initialized;
          if (!ready) {
            ready = Promise.resolve(widget.initialize ? widget.initialize({ model: model }) : null);
            model._initialized = ready;
          }
          return ready.then(function () {
            host.replaceChildren();
            if (widget.render) return widget.render({ model: model, el: host });
            return null;
          });
        })
        .catch(function (err) {
          failed += 1;
          console.error("course.js: could not start an exercise", err);
          notice(host, "Its code did not load (" + (err && err.message) + ").");
        });
    });
    return Promise.all(jobs).then(function () {
      return { widgets: views.length, failed: failed };
    });
  }

  // ---------------------------------------------------------------- progress

  function courseId() {
    return (manifest && manifest.course && manifest.course.id) || "course";
  }

  var storageSet = smxStorageSet;

  function currentPage() {
    var meta = document.querySelector('meta[name="smx-page"]');
    return meta ? meta.getAttribute("content") : null;
  }

  function visitsKey() {
    return smxVisitsKey(courseId());
  }

  function readVisits() {
    return smxReadVisits(courseId());
  }

  function recordVisit() {
    var page = currentPage();
    if (!page) return;
    var visits = readVisits();
    visits[page] = new Date().toISOString();
    storageSet(visitsKey(), JSON.stringify(visits));
    var chapter =
      manifest &&
      manifest.chapters.find(function (c) {
        return c.page === page;
      });
    window.dispatchEvent(
      new CustomEvent("course:page", {
        detail: {
          course: courseId(),
          page: page,
          title: document.title,
          chapter: chapter ? chapter.id : null,
        },
      }),
    );
  }

  function readExercise(id) {
    return smxReadRecord(courseId(), id);
  }

  /** A summary of this learner's progress, also used by the LMS bridge. */
  function progressSummary() {
    if (!manifest) return null;
    var visits = readVisits();
    var chapters = manifest.chapters.map(function (chapter) {
      var records = chapter.exercises.map(readExercise);
      var graded = chapter.exercises.filter(function (_id, i) {
        return chapter.graded[i];
      });
      return {
        id: chapter.id,
        page: chapter.page,
        title: chapter.title,
        visited: Boolean(visits[chapter.page]),
        exercises: chapter.exercises.length,
        completed: records.filter(function (r) {
          return r && r.completed;
        }).length,
        correct: records.filter(function (r, i) {
          return r && r.correct && chapter.graded[i];
        }).length,
        graded: graded.length,
      };
    });
    var total = chapters.reduce(function (n, c) {
      return n + c.graded;
    }, 0);
    var correct = chapters.reduce(function (n, c) {
      return n + c.correct;
    }, 0);
    return {
      course: manifest.course,
      chapters: chapters,
      visitedAll: chapters.every(function (c) {
        return c.visited;
      }),
      score: total ? correct / total : 0,
    };
  }

  function pageUrl(page) {
    var root = document.documentElement.getAttribute("data-content_root") || "./";
    return root + page + ".html";
  }

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    Object.keys(attrs || {}).forEach(function (k) {
      node.setAttribute(k, attrs[k]);
    });
    return node;
  }

  function insideLms() {
    try {
      return window.parent !== window && Boolean(window.parent.SmxLms);
    } catch (_err) {
      return false; // a parent from another origin is not the course's own launch page
    }
  }

  function renderProgressPage() {
    var holder = document.getElementById("smx-progress");
    if (!holder) return;
    var summary = progressSummary();
    if (!summary) {
      holder.replaceChildren(el("p", "The course outline is missing from this build."));
      return;
    }
    var table = el("table", null, { class: "smx-progress-table" });
    var caption = el("caption", "Your progress in this browser, chapter by chapter");
    var head = el("thead");
    var headRow = el("tr");
    ["Chapter", "Visited", "Exercises done", "Answered correctly"].forEach(function (label) {
      headRow.append(el("th", label, { scope: "col" }));
    });
    head.append(headRow);
    var body = el("tbody");
    summary.chapters.forEach(function (c) {
      var row = el("tr");
      var cell = el("th", null, { scope: "row" });
      var link = el("a", c.title, { href: pageUrl(c.page) });
      cell.append(link);
      row.append(
        cell,
        el("td", c.visited ? "Yes" : "Not yet"),
        el("td", c.exercises ? c.completed + " of " + c.exercises : "No exercises"),
        el("td", c.graded ? c.correct + " of " + c.graded : "-"),
      );
      if (c.exercises && c.completed === c.exercises) row.className = "smx-done";
      body.append(row);
    });
    table.append(caption, head, body);
    var totals = el(
      "p",
      "Overall: " +
        Math.round(summary.score * 100) +
        "% of the self-check exercises answered correctly.",
      { class: "smx-progress-total" },
    );
    var clear = el("button", "Clear my progress in this browser", {
      type: "button",
      class: "smx-button smx-button-secondary",
    });
    clear.addEventListener("click", function () {
      if (!window.confirm("Delete every saved answer for this course from this browser?")) return;
      var prefix = smxPrefix(courseId());
      try {
        Object.keys(window.localStorage)
          .filter(function (k) {
            return k.indexOf(prefix) === 0;
          })
          .forEach(function (k) {
            window.localStorage.removeItem(k);
          });
      } catch (_err) {
        /* storage blocked: nothing was saved */
      }
      renderProgressPage();
    });
    // Inside an LMS the SCORM launch page reports this progress to the LMS: clearing it here
    // would lower the learner's recorded score, so the LMS keeps it instead.
    var note = el(
      "p",
      "Your learning system keeps this progress for you, so it cannot be cleared here.",
      { class: "smx-progress-note" },
    );
    holder.replaceChildren(table, totals, insideLms() ? note : clear);
    if (document.documentElement.getAttribute("data-smx-storage") === "memory") {
      holder.prepend(
        el(
          "p",
          "This browser is not letting the course save anything here (this happens inside " +
            "some other sites' frames and in some private windows). Your answers last only " +
            "until you leave the page.",
          { class: "smx-static-notice", role: "note" },
        ),
      );
    }
  }

  // The judge's module and rules live in one static file per build (see sphinx_ext.py,
  // move_judge_to_file); exercises that need them ask for it when a learner reaches them.
  var judgeFiles = {};
  function loadJudgeFile(key) {
    if (!/^[0-9a-f]{16}$/.test(key)) return Promise.reject(new Error("bad judge file key"));
    if (!judgeFiles[key]) {
      judgeFiles[key] = new Promise(function (resolve, reject) {
        var ready = window.smxJudgeFiles && window.smxJudgeFiles[key];
        if (ready) return resolve(ready);
        var root = document.documentElement.getAttribute("data-content_root") || "./";
        var script = document.createElement("script");
        script.src = root + "_static/judge/judge-" + key + ".js";
        script.onload = function () {
          var files = window.smxJudgeFiles || {};
          if (files[key]) resolve(files[key]);
          else reject(new Error("the checker file is incomplete"));
        };
        script.onerror = function () {
          reject(new Error("the checker file did not load"));
        };
        document.head.append(script);
      });
    }
    return judgeFiles[key];
  }
  window.SMXHost = { loadJudgeFile: loadJudgeFile };

  window.CourseProgress = {
    summary: progressSummary,
    readExercise: readExercise,
    manifest: manifest,
  };

  // The themes bind their sidebar buttons with document.querySelector(".primary-toggle"), which
  // finds the navbar's copy of the button. That copy is hidden on every page (the book theme
  // shows its own header button), so on a phone the chapter menu never opened. Each other copy
  // forwards its click to the bound one, which opens the menu (narrow screens) or folds the
  // sidebar (wide screens) exactly as the themes intend.
  function forwardSidebarToggles() {
    [".primary-toggle", ".secondary-toggle"].forEach(function (selector) {
      var bound = document.querySelector(selector);
      var copies = document.querySelectorAll(selector);
      for (var i = 0; i < copies.length; i++) {
        if (copies[i] === bound) continue;
        copies[i].addEventListener(
          "click",
          function (event) {
            event.preventDefault();
            event.stopImmediatePropagation();
            bound.click();
          },
          true,
        );
      }
    });
  }

  function start() {
    var t0 = performance.now();
    forwardSidebarToggles();
    recordVisit();
    renderProgressPage();
    window.addEventListener("course:exercise", renderProgressPage);
    mountWidgets().then(function (result) {
      result.ms = performance.now() - t0;
      performance.mark("smx:widgets-ready");
      document.documentElement.setAttribute("data-smx-ready", String(result.widgets));
      window.dispatchEvent(new CustomEvent("course:ready", { detail: result }));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
