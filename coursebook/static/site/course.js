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
 *   window "course:ready"     detail {widgets, mounted, failed, ms}  (the widgets near the
 *                                     screen are mounted; the rest mount as the reader nears
 *                                     them, see "mounting, lazily")
 *
 * It is a classic script, not a module, so the site also works when opened from file://.
 */
(function () {
  "use strict";

  var STATE_TYPE = "application/vnd.jupyter.widget-state+json";
  var VIEW_TYPE = "application/vnd.jupyter.widget-view+json";
  // Storage keys and records: progress_store.js, loaded before this file (one definition for
  // the page host, the widgets and the SCORM runtime).
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
  var printed = []; // the exercises' content, in page order, for the printed answer key
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

  // ---------------------------------------------------------------- mounting, lazily
  //
  // Mounting every widget at load was the main thread's biggest job on an exercise page: the
  // widgets that share a module were all drawn in one go, when that module arrived (one task
  // of up to 15 exercises), which Lighthouse counts as blocking time on a slow phone (0.4 to
  // 1.9 s of its total blocking time on the review). Now each widget is drawn only when it
  // comes within a screen or two of the viewport, one widget per task, so the page never
  // holds the main thread for long at load, and a widget far down the page costs nothing
  // until the reader nears it. What does not need a drawn widget is read from the page's
  // widget state and from storage at once: the exercise's address (for links into it), the
  // answer key (print), the chapter's "X of Y self-checks done" (progress_store.js).

  // The rest mounts when it comes this near: one screen above the viewport, two below (the
  // way a reader scrolls), so a widget is drawn well before it is on screen.
  var MOUNT_MARGIN = "100% 0px 200% 0px";
  var titles = {}; // "chapter/id" -> the exercise's title
  var items = []; // one per widget on the page, in page order: {host, model, entry, view}
  var readyWidgets = new Map(); // module source -> its widget object, once imported
  var queue = [];
  var pumping = null;
  var mountFailures = 0;

  /** Let the browser paint and handle input before the next widget (scheduler.yield in
   *  Chromium 129+, which keeps this task's place in line; a new task elsewhere). */
  function yieldToMain() {
    if (window.scheduler && typeof window.scheduler.yield === "function") {
      return window.scheduler.yield();
    }
    return new Promise(function (resolve) {
      setTimeout(resolve, 0);
    });
  }

  /** Run `work` when the browser is idle (or after `timeout` ms at the latest). */
  function whenIdle(work, timeout) {
    if (typeof window.requestIdleCallback === "function") {
      window.requestIdleCallback(work, { timeout: timeout || 2000 });
    } else {
      setTimeout(work, 200);
    }
  }

  /** Read every view in the page; a damaged one gets a notice at once (it never mounts). */
  function prepareWidgets() {
    var views = Array.prototype.slice.call(
      document.querySelectorAll('script[type="' + VIEW_TYPE + '"]'),
    );
    if (views.length === 0) return { widgets: 0, failed: 0 };
    var models;
    try {
      models = readWidgetState();
    } catch (err) {
      models = null;
      console.error("course.js: the widget state in this page is not valid JSON", err);
    }
    var instances = {};
    var manager = {
      get_model: function (id) {
        return Promise.resolve(instances[id]);
      },
    };
    var failed = 0;
    views.forEach(function (script) {
      var host = hostFor(script);
      var view;
      try {
        view = JSON.parse(script.textContent);
      } catch (_err) {
        failed += 1;
        notice(host, "Its description in the page is damaged.");
        return;
      }
      var entry = models && models[view.model_id];
      if (!entry) {
        failed += 1;
        notice(host, "Its saved state is missing from this page. Rebuild the book to fix this.");
        return;
      }
      if (entry.model_module !== "anywidget" || !entry.state || !entry.state._esm) {
        failed += 1;
        notice(
          host,
          "It needs a live Python kernel. Open this chapter as a notebook in JupyterLab to use it.",
        );
        return;
      }
      // An address for each exercise, so the chapter's end card (and any link) can point at
      // it before it is drawn.
      if (entry.state.chapter && entry.state.exercise_id && !host.id) {
        host.id = "exercise-" + entry.state.chapter + "-" + entry.state.exercise_id;
      }
      var model = instances[view.model_id];
      if (!model) {
        model = new WidgetModel(view.model_id, entry.state, manager);
        instances[view.model_id] = model;
        if (entry.state.spec) printed.push(entry.state.spec);
        if (entry.state.spec && entry.state.spec.title) {
          titles[entry.state.chapter + "/" + entry.state.exercise_id] = entry.state.spec.title;
        }
      }
      items.push({ host: host, model: model, entry: entry, view: view, done: null });
    });
    return { widgets: views.length, failed: failed };
  }

  function itemFor(node) {
    for (var i = 0; i < items.length; i++) {
      if (items[i].host === node || items[i].host.contains(node)) return items[i];
    }
    return null;
  }

  /** The files a widget module is served in (page_state.py, move_modules_to_files:
   *  {"$smxmodule": [key, ...]}, parts to join), or null when the page holds its source. */
  function moduleFiles(ref) {
    return ref && typeof ref === "object" && Array.isArray(ref.$smxmodule) ? ref.$smxmodule : null;
  }

  /** What names a widget module: its source, or its files. */
  function moduleName(ref) {
    var files = moduleFiles(ref);
    return files ? "files:" + files.join("+") : ref;
  }

  /** A widget module's source: fetched part by part when it has files. */
  function moduleSource(ref) {
    var files = moduleFiles(ref);
    if (!files) return Promise.resolve(ref);
    return Promise.all(files.map(loadModulePart)).then(function (parts) {
      return parts.join("");
    });
  }

  function loadWidget(ref) {
    var name = moduleName(ref);
    if (readyWidgets.has(name)) return Promise.resolve(readyWidgets.get(name));
    return moduleSource(ref)
      .then(importSource)
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
        readyWidgets.set(name, widget);
        return widget;
      });
  }

  function failMount(item, err) {
    mountFailures += 1;
    console.error("course.js: could not start an exercise", err);
    notice(item.host, "Its code did not load (" + (err && err.message) + ").");
  }

  /** Draw one widget with its module (already imported); returns what render returned. */
  function renderItem(item, widget) {
    var state = item.entry.state;
    if (
      state._css &&
      !document.querySelector('style[data-smx-css="' + state._anywidget_id + '"]')
    ) {
      var style = document.createElement("style");
      style.setAttribute("data-smx-css", state._anywidget_id || item.view.model_id);
      style.textContent = state._css;
      document.head.append(style);
    }
    var model = item.model;
    // anywidget's optional per-model hook (none of the course's widgets has one); what it
    // returns is not waited for, so that printing can draw a widget in one task.
    if (widget.initialize && !model._initialized) {
      model._initialized = true;
      widget.initialize({ model: model });
    }
    item.host.replaceChildren();
    item.host.setAttribute("data-smx-mounted", "");
    return widget.render ? widget.render({ model: model, el: item.host }) : null;
  }

  /** Mount one widget (once); the promise settles when it is drawn or has its notice. */
  function mountItem(item) {
    if (!item.done) {
      item.done = loadWidget(item.entry.state._esm)
        .then(function (widget) {
          return renderItem(item, widget);
        })
        .catch(function (err) {
          failMount(item, err);
        });
    }
    return item.done;
  }

  /** Mount at once, in this task, when the widget's module is already imported (printing
   *  cannot wait for a task); otherwise as soon as it arrives. */
  function mountItemNow(item) {
    var widget = readyWidgets.get(moduleName(item.entry.state._esm));
    if (item.done || !widget) return mountItem(item);
    try {
      item.done = Promise.resolve(renderItem(item, widget));
    } catch (err) {
      failMount(item, err);
      item.done = Promise.resolve();
    }
    return item.done;
  }

  /** Mount the queued widgets one per task, first in first out; settles when the queue is
   *  empty. */
  function pump() {
    if (!pumping) {
      pumping = Promise.resolve().then(function next() {
        var item = queue.shift();
        if (!item) {
          pumping = null;
          return undefined;
        }
        return mountItem(item).then(yieldToMain).then(next);
      });
    }
    return pumping;
  }

  function enqueue(item, first) {
    if (item.done || queue.indexOf(item) >= 0) return;
    if (first) queue.unshift(item);
    else queue.push(item);
  }

  /** Every widget not yet drawn, one per task (a keyboard user's Tab must reach each one). */
  function mountAll() {
    items.forEach(function (item) {
      enqueue(item);
    });
    return pump();
  }

  /**
   * A link into an exercise (#exercise-..., or an id inside it): the widget is drawn first,
   * then brought back into view, since drawing it (and those around it) moves the page.
   */
  function mountTarget(hash) {
    var id = "";
    try {
      id = decodeURIComponent((hash || "").slice(1));
    } catch (_err) {
      return null;
    }
    var target = id && document.getElementById(id);
    var item = target && itemFor(target);
    if (!item || item.done) return null;
    enqueue(item, true);
    return pump().then(function () {
      if (window.location.hash === hash && target.isConnected) target.scrollIntoView();
    });
  }

  /** What the printed page needs: every exercise drawn, and the answer key. */
  function prepareForPrint() {
    addAnswerKey();
    items.forEach(mountItemNow);
  }

  /** Import each module of the page the reader has not reached yet, one per idle moment,
   *  so that printing (which cannot wait) can draw every exercise at once. */
  function preloadModules() {
    var sources = [];
    var names = [];
    items.forEach(function (item) {
      var name = moduleName(item.entry.state._esm);
      if (!readyWidgets.has(name) && names.indexOf(name) < 0) {
        names.push(name);
        sources.push(item.entry.state._esm);
      }
    });
    (function next() {
      var source = sources.shift();
      if (!source) return;
      whenIdle(function () {
        loadWidget(source).then(next, next);
      });
    })();
  }

  /**
   * Start the widgets: those within reach of the viewport (and the target of the address's
   * #anchor) are drawn now, one per task; the promise gives {widgets, mounted, failed} once
   * they are. Every other widget is drawn when it comes near, when a keyboard user starts
   * tabbing, or before the page is printed.
   */
  function startWidgets() {
    var result = prepareWidgets();
    if (items.length === 0) return Promise.resolve(Object.assign(result, { mounted: 0 }));
    var firstLook = null;
    var looked = new Promise(function (resolve) {
      firstLook = resolve;
    });
    if (typeof window.IntersectionObserver === "function") {
      var observer = new IntersectionObserver(
        function (entries) {
          entries.forEach(function (seen) {
            if (!seen.isIntersecting) return;
            observer.unobserve(seen.target);
            var item = itemFor(seen.target);
            if (item) enqueue(item);
          });
          pump();
          firstLook();
        },
        { rootMargin: MOUNT_MARGIN },
      );
      items.forEach(function (item) {
        observer.observe(item.host);
      });
    } else {
      mountAll(); // a browser without IntersectionObserver: every widget, one per task
      firstLook();
    }
    mountTarget(window.location.hash);
    window.addEventListener("hashchange", function () {
      mountTarget(window.location.hash);
    });
    document.addEventListener(
      "keydown",
      function onTab(event) {
        if (event.key !== "Tab") return;
        document.removeEventListener("keydown", onTab, true);
        mountAll();
      },
      true,
    );
    window.addEventListener("beforeprint", prepareForPrint);
    if (window.matchMedia) {
      var printing = window.matchMedia("print");
      var onPrint = function (event) {
        if (event.matches) prepareForPrint();
      };
      if (printing.addEventListener) printing.addEventListener("change", onPrint);
      else if (printing.addListener) printing.addListener(onPrint);
    }
    return looked.then(pump).then(function () {
      whenIdle(preloadModules);
      var mounted = items.filter(function (item) {
        return item.done;
      }).length;
      return {
        widgets: result.widgets,
        mounted: mounted,
        failed: result.failed + mountFailures,
      };
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
        required: chapter.required !== false,
        minutes: chapter.minutes || null,
        visited: Boolean(visits[chapter.page]),
        exercises: chapter.exercises.length,
        completed: records.filter(function (r) {
          return r && r.completed;
        }).length,
        // Work done, counting a checklist not yet finished by the share of its steps ticked.
        done: records.reduce(function (n, r) {
          return n + workDone(r);
        }, 0),
        checklists: records
          .filter(function (r) {
            return r && r.type === "privacy_checklist" && !r.completed && r.score > 0;
          })
          .map(function (r) {
            return { ticked: (r.answer || []).length, share: r.score };
          }),
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

  /** How much of one exercise is done: 1 when completed; a checklist's share ticked; else 0. */
  function workDone(record) {
    if (!record) return 0;
    if (record.completed) return 1;
    if (record.type === "privacy_checklist" && typeof record.score === "number") {
      return Math.max(0, Math.min(1, record.score));
    }
    return 0;
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

  function formatDone(n) {
    return Math.abs(n - Math.round(n)) < 0.05 ? String(Math.round(n)) : n.toFixed(1);
  }

  /**
   * One of the site's keyed script files: it adds its value to window[registry][key]. A
   * classic <script>, not fetch() or import(), so that it also loads from file:// pages.
   * `what` names the file in the error a learner may see.
   */
  function keyedFileLoader(registry, path, what) {
    var loading = {};
    return function (key) {
      if (!/^[0-9a-f]{16}$/.test(key)) return Promise.reject(new Error("bad " + what + " key"));
      if (!loading[key]) {
        loading[key] = new Promise(function (resolve, reject) {
          var ready = window[registry] && window[registry][key];
          if (ready) return resolve(ready);
          var root = document.documentElement.getAttribute("data-content_root") || "./";
          var script = document.createElement("script");
          script.src = root + "_static/" + path(key);
          script.onload = function () {
            var files = window[registry] || {};
            if (files[key]) resolve(files[key]);
            else reject(new Error("the " + what + " is incomplete"));
          };
          script.onerror = function () {
            delete loading[key]; // a later attempt may succeed (a flaky connection)
            reject(new Error("the " + what + " did not load"));
          };
          document.head.append(script);
        });
      }
      return loading[key];
    };
  }
  // The judge's module and rules live in one static file per build (see page_state.py,
  // move_judge_to_file); exercises that need them ask for it when a learner reaches them.
  var loadJudgeFile = keyedFileLoader(
    "smxJudgeFiles",
    function (key) {
      return "judge/judge-" + key + ".js";
    },
    "checker file",
  );
  // The widgets' modules, one file per part (page_state.py, move_modules_to_files).
  var loadModulePart = keyedFileLoader(
    "smxModules",
    function (key) {
      return "smx/module-" + key + ".js";
    },
    "exercise code file",
  );
  // What course_progress.js (the progress page's own script) shares with this file.
  window.SMXHost = {
    loadJudgeFile: loadJudgeFile,
    page: { courseId: courseId, el: el, formatDone: formatDone, pageUrl: pageUrl },
  };

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

  // The build leaves Bootstrap's script (81 KB, the biggest script on every page) out of the
  // pages (coursebook/page_weight.py): the theme needs it only for the download menu and for
  // hover tooltips (the buttons keep their native title tooltips without it). It is fetched
  // when a learner first points at, focuses or taps a menu button, and the tap that asked for
  // it then opens the menu; from then on Bootstrap handles the menu itself.
  function loadBootstrapOnDemand() {
    var toggles = document.querySelectorAll('[data-bs-toggle="dropdown"]');
    if (toggles.length === 0 || window.bootstrap) return;
    var loading = null;
    function load() {
      if (!loading) {
        loading = new Promise(function (resolve, reject) {
          // The build leaves the theme's own address (with its digest) as a link not fetched.
          var named = document.querySelector('link[rel="smx-on-demand"][href*="bootstrap.js"]');
          var root = document.documentElement.getAttribute("data-content_root") || "./";
          var script = document.createElement("script");
          script.src = named ? named.href : root + "_static/scripts/bootstrap.js";
          script.onload = resolve;
          script.onerror = function () {
            reject(new Error("the menu script did not load"));
          };
          document.head.append(script);
        });
      }
      return loading;
    }
    toggles.forEach(function (toggle) {
      ["pointerenter", "focus", "touchstart"].forEach(function (type) {
        toggle.addEventListener(type, load, { once: true, passive: true });
      });
      toggle.addEventListener(
        "click",
        function (event) {
          if (window.bootstrap) return; // Bootstrap's own handler opens the menu
          event.preventDefault();
          event.stopPropagation();
          load().then(function () {
            window.bootstrap.Dropdown.getOrCreateInstance(toggle).toggle();
          }, console.error);
        },
        true,
      );
    });
  }

  // ---------------------------------------------------------------- where am I in the course

  /** The learner chapters, in reading order: required pages with a time estimate. */
  function learnerChapters() {
    if (!manifest) return [];
    return manifest.chapters.filter(function (c) {
      return c.required !== false && c.minutes;
    });
  }

  function chapterDone(chapter) {
    return chapter.exercises.reduce(function (n, id) {
      return n + workDone(readExercise(id));
    }, 0);
  }

  function nextPage(page) {
    if (!manifest) return null;
    var index = manifest.chapters.findIndex(function (c) {
      return c.page === page;
    });
    if (index < 0) return null;
    return (
      manifest.chapters.slice(index + 1).find(function (c) {
        return c.required !== false;
      }) || null
    );
  }

  /**
   * Under the chapter's title: "Chapter 3 of 11, about 40 minutes, 4 of 7 self-checks done";
   * at its end, a summary card with what is left to do and a clear Next link. Both follow the
   * learner's answers as they are saved.
   */
  function showChapterPlace() {
    var page = currentPage();
    var chapters = learnerChapters();
    var index = chapters.findIndex(function (c) {
      return c.page === page;
    });
    var article = document.querySelector("article.bd-article");
    var title = article && article.querySelector("h1");
    if (index < 0 || !title) return;
    var chapter = chapters[index];
    var number = "Chapter " + (index + 1) + " of " + chapters.length;
    var place = el("p", null, { class: "smx-chapter-place", id: "smx-chapter-place" });
    title.after(place);

    var card = el("section", null, {
      class: "smx-chapter-end",
      "aria-labelledby": "smx-chapter-end-title",
    });
    var heading = el("h2", "End of chapter " + (index + 1) + ": " + chapter.title, {
      id: "smx-chapter-end-title",
      class: "smx-chapter-end-title",
    });
    var tally = el("p", null, { class: "smx-chapter-end-tally" });
    var left = el("ul", null, { class: "smx-chapter-end-left" });
    var actions = el("div", null, { class: "smx-chapter-end-actions" });
    var next = nextPage(page);
    if (next) {
      var nextIndex = chapters.indexOf(next);
      var label =
        nextIndex >= 0
          ? "Next: chapter " + (nextIndex + 1) + ", " + next.title
          : "Next: " + next.title;
      actions.append(el("a", label, { href: pageUrl(next.page), class: "smx-next", rel: "next" }));
    }
    var top = el("a", "Back to the top of this chapter", { href: "#", class: "smx-to-top" });
    top.addEventListener("click", function (event) {
      event.preventDefault();
      window.scrollTo({ top: 0, behavior: "auto" });
      title.setAttribute("tabindex", "-1");
      title.focus({ preventScroll: true });
    });
    actions.append(top);
    card.append(heading, tally, left, actions);
    article.append(card);

    function update() {
      var total = chapter.exercises.length;
      var done = chapterDone(chapter);
      var shown = formatDone(done) + " of " + total + " self-checks done";
      place.textContent =
        number + ", about " + chapter.minutes + " minutes" + (total ? ", " + shown : "");
      tally.textContent = total
        ? done >= total - 1e-9
          ? "You have done all " + total + " self-checks in this chapter."
          : "You have done " + shown.replace(" done", "") + " in this chapter. Still to do:"
        : "This chapter has no self-checks.";
      var items = chapter.exercises
        .filter(function (id) {
          var r = readExercise(id);
          return !(r && r.completed);
        })
        .map(function (id) {
          // The title from the page's widget state: the exercise may not be drawn yet.
          var item = el("li");
          item.append(el("a", titles[id] || id, { href: "#exercise-" + id.replace("/", "-") }));
          return item;
        });
      left.replaceChildren.apply(left, items);
      left.hidden = items.length === 0;
    }
    update();
    window.addEventListener("course:exercise", update);
  }

  /**
   * Diagrams drawn as images get a link that opens them alone at full size, where a phone can
   * zoom them; their small text is unreadable at a phone's width.
   */
  function makeDiagramsZoomable() {
    var images = document.querySelectorAll(
      "article.bd-article figure img, article.bd-article img.smx-diagram",
    );
    Array.prototype.forEach.call(images, function (img) {
      var figure = img.closest("figure");
      var wrapper = img.closest("a");
      var src = wrapper ? wrapper.getAttribute("href") : img.getAttribute("src");
      // Browsers do not open data: addresses as pages; charts drawn at build time are those.
      if (!src || src.indexOf("data:") === 0) return;
      var link = el("a", "Open the diagram full size (you can zoom it)", {
        href: src,
        class: "smx-zoom-link",
      });
      var caption = figure && figure.querySelector("figcaption");
      if (caption) caption.append(link);
      else (wrapper || img).after(link);
    });
  }

  // ---------------------------------------------------------------- print

  /** One exercise's answers and feedback for the printed key (text only, never HTML). */
  function keyEntry(spec) {
    var item = el("li", null, { class: "smx-key-item" });
    item.append(el("p", spec.title || spec.prompt || spec.id, { class: "smx-key-title" }));
    var list = el("ul");
    function stop(text) {
      return /[.!?"”]$/.test(text) ? text : text + ".";
    }
    function line(strong, text) {
      var li = el("li");
      li.append(el("strong", strong), document.createTextNode(" " + (text || "")));
      list.append(li);
    }
    if (spec.type === "multiple_choice") {
      spec.options.forEach(function (o) {
        line((o.correct ? "Right: " : "Not this one: ") + stop(o.text), o.feedback);
      });
    } else if (spec.type === "sort_the_posts") {
      var labels = {};
      spec.categories.forEach(function (c) {
        labels[c.id] = c.label;
      });
      spec.cards.forEach(function (card, i) {
        var answers = Array.isArray(card.answer) ? card.answer : [card.answer];
        line(
          "Post " +
            (i + 1) +
            ": " +
            answers
              .map(function (a) {
                return labels[a];
              })
              .join(" or ") +
            ".",
          card.feedback,
        );
      });
    } else if (spec.type === "scenario") {
      spec.steps.forEach(function (step) {
        step.choices.forEach(function (c) {
          if (c.rating === "best") line("Strongest choice: " + c.text, c.consequence);
        });
      });
      if (spec.debrief) line("Debrief:", spec.debrief);
    } else if (spec.type === "fix_the_post") {
      line("One good rewrite:", spec.model_rewrite);
    } else if (spec.type === "statement_builder") {
      line("Example:", spec.example || "Your own statements: there is no single answer.");
    } else {
      line("No wrong answer:", "this one is about your own situation.");
    }
    item.append(list);
    return item;
  }

  /** A printed chapter is a handout: each exercise as its question and options, and the
   *  answers with their feedback in a key at the end (shown only on paper, see course.css). */
  function addAnswerKey() {
    var article = document.querySelector("article.bd-article");
    if (!article || printed.length === 0 || article.querySelector(".smx-answer-key")) return;
    var key = el("section", null, { class: "smx-answer-key", "aria-labelledby": "smx-key-title" });
    key.append(el("h2", "Answer key", { id: "smx-key-title" }));
    var list = el("ol");
    printed.forEach(function (spec) {
      list.append(keyEntry(spec));
    });
    key.append(list);
    article.append(key);
  }

  function start() {
    var t0 = performance.now();
    // First, so that every exercise has its address and title before anything links to it.
    var widgetsStarted = startWidgets();
    forwardSidebarToggles();
    loadBootstrapOnDemand();
    recordVisit();
    showChapterPlace();
    makeDiagramsZoomable();
    // `smx:widgets-ready`, data-smx-ready and course:ready now mean: the widgets within reach
    // of the screen are drawn (the rest are drawn as the reader nears them).
    widgetsStarted.then(function (result) {
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
