/*
 * course_progress.js: the progress page's own script (book/progress, the page with
 * <div id="smx-progress">), loaded after course.js on that page only (coursebook/extension.py).
 * It draws the learner's progress table, says what "complete", "done" and "correct" mean, and
 * offers to clear this browser's progress. It was part of course.js, which every page loads:
 * as a file of its own it takes about 5 KB off every other page (the text pages' budget is
 * 300 KB uncompressed, see tests/coursebook/test_page_weight.py).
 *
 * It uses what course.js shares: window.CourseProgress.summary() and window.SMXHost.page.
 */
(function () {
  "use strict";

  var host = window.SMXHost && window.SMXHost.page;
  if (!host || !window.CourseProgress) return; // course.js did not run: nothing to draw with
  var courseId = host.courseId;
  var el = host.el;
  var formatDone = host.formatDone;
  var pageUrl = host.pageUrl;
  var progressSummary = window.CourseProgress.summary;

  function insideLms() {
    try {
      return window.parent !== window && Boolean(window.parent.SmxLms);
    } catch (_err) {
      return false; // a parent from another origin is not the course's own launch page
    }
  }

  /** What "complete" and "correct" mean in this course, from its settings. */
  function definitions(course, required) {
    var complete =
      course.completion === "all_exercises_completed"
        ? "Complete means you have finished every self-check in the chapters below."
        : "Complete means you have opened every page below (" + required + " pages).";
    var pass = Math.round((course.masteryScore === undefined ? 0.8 : course.masteryScore) * 100);
    var list = el("dl", null, { class: "smx-definitions" });
    list.append(
      el("dt", "Complete"),
      el("dd", complete),
      el("dt", "Done"),
      el(
        "dd",
        "A self-check is done once you have checked an answer that is right, played a " +
          "scenario to its end, seen a decision helper's suggestion or ticked every step " +
          "of a checklist. A checklist counts for the share of steps you have ticked.",
      ),
      el("dt", "Correct"),
      el(
        "dd",
        "A scored self-check is correct when you chose the right answer, put every post " +
          "of a sort in a good place, or ended a scenario on a strong choice. Decision " +
          "helpers and checklists have no wrong answer, so they are not scored. You pass " +
          "with " +
          pass +
          "% or more of the scored self-checks correct.",
      ),
    );
    return list;
  }

  /**
   * A button that asks in place before it deletes (not window.confirm: LMS frames may block
   * it and it cannot be styled). Focus goes to the question's first button, and back to the
   * button when the learner says no.
   */
  function confirmButton(label, question, yesLabel, action) {
    var wrap = el("div", null, { class: "smx-confirm-wrap" });
    var trigger = el("button", label, { type: "button", class: "smx-button smx-button-secondary" });
    var questionId = "smx-confirm-" + Math.random().toString(36).slice(2, 8);
    var box = el("div", null, {
      class: "smx-confirm",
      role: "group",
      "aria-labelledby": questionId,
    });
    box.hidden = true;
    var yes = el("button", yesLabel, { type: "button", class: "smx-button smx-button-danger" });
    var no = el("button", "No, keep it", {
      type: "button",
      class: "smx-button smx-button-secondary",
    });
    box.append(el("p", question, { id: questionId, class: "smx-confirm-question" }), yes, no);
    function close() {
      box.hidden = true;
      trigger.hidden = false;
    }
    trigger.addEventListener("click", function () {
      trigger.hidden = true;
      box.hidden = false;
      yes.focus();
    });
    no.addEventListener("click", function () {
      close();
      trigger.focus();
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") no.click();
    });
    yes.addEventListener("click", function () {
      close();
      action();
    });
    wrap.append(trigger, box);
    return wrap;
  }

  function clearProgress() {
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
  }

  function renderProgressPage() {
    var holder = document.getElementById("smx-progress");
    if (!holder) return;
    var summary = progressSummary();
    if (!summary) {
      holder.replaceChildren(el("p", "The course outline is missing from this build."));
      return;
    }
    // Learner pages only: the instructor pages are not needed to complete the course.
    var chapters = summary.chapters.filter(function (c) {
      return c.required;
    });
    var table = el("table", null, { class: "smx-progress-table" });
    var caption = el("caption", "Your progress in this browser, page by page");
    var head = el("thead");
    var headRow = el("tr");
    ["Page", "Opened", "Self-checks done", "Correct"].forEach(function (label) {
      headRow.append(el("th", label, { scope: "col" }));
    });
    head.append(headRow);
    var body = el("tbody");
    var work = 0;
    var exercises = 0;
    chapters.forEach(function (c) {
      var row = el("tr");
      var cell = el("th", null, { scope: "row" });
      var link = el("a", c.title, { href: pageUrl(c.page) });
      cell.append(link);
      var doneCell = el(
        "td",
        c.exercises ? formatDone(c.done) + " of " + c.exercises : "None here",
      );
      c.checklists.forEach(function (list) {
        doneCell.append(
          el("span", " (a checklist " + Math.round(list.share * 100) + "% ticked)", {
            class: "smx-progress-part",
          }),
        );
      });
      row.append(
        cell,
        el("td", c.visited ? "Yes" : "Not yet"),
        doneCell,
        el("td", c.graded ? c.correct + " of " + c.graded : "-"),
      );
      if (c.exercises && c.completed === c.exercises) row.className = "smx-done";
      body.append(row);
      work += c.done;
      exercises += c.exercises;
    });
    table.append(caption, head, body);
    var scroller = el("div", null, { class: "smx-table-scroll" });
    scroller.append(table);
    var course = summary.course || {};
    var required = chapters.length;
    var opened = chapters.filter(function (c) {
      return c.visited;
    }).length;
    var complete =
      course.completion === "all_exercises_completed"
        ? exercises > 0 && work >= exercises - 1e-9
        : opened === required;
    var status = el(
      "p",
      (complete ? "Course complete. " : "Not complete yet. ") +
        "You have opened " +
        opened +
        " of " +
        required +
        " pages and done " +
        Math.round(exercises ? (work / exercises) * 100 : 0) +
        "% of the self-checks.",
      { class: "smx-progress-status" },
    );
    var totals = el(
      "p",
      "Overall: " +
        Math.round(summary.score * 100) +
        "% of the self-check exercises answered correctly (pass mark " +
        Math.round((course.masteryScore === undefined ? 0.8 : course.masteryScore) * 100) +
        "%).",
      { class: "smx-progress-total" },
    );
    var clear = confirmButton(
      "Clear my progress in this browser",
      "This deletes every saved answer for this course from this browser. Clear it?",
      "Yes, clear my progress",
      function () {
        clearProgress();
        renderProgressPage();
        var again = holder.querySelector(".smx-confirm-wrap > button");
        if (again) again.focus();
      },
    );
    // Inside an LMS the SCORM launch page reports this progress to the LMS: clearing it here
    // would lower the learner's recorded score, so the LMS keeps it instead.
    var note = el(
      "p",
      "Your learning system keeps this progress for you, so it cannot be cleared here.",
      { class: "smx-progress-note" },
    );
    var heading = el("h2", "What the words mean", { class: "smx-progress-heading" });
    holder.replaceChildren(
      status,
      totals,
      scroller,
      heading,
      definitions(course, required),
      insideLms() ? note : clear,
    );
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

  renderProgressPage();
  window.addEventListener("course:exercise", renderProgressPage);
})();
