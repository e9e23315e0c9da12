// core.js: helpers shared by every exercise type. The Python side concatenates this file with
// one type's file into a single ES module (see exercises/widgets.py), so nothing here is exported.
//
// Rules kept everywhere in the front end:
// - learner text and content text go in with textContent, never as HTML;
// - every control is a native, labelled form control or button, so keyboard and screen readers
//   work without extra code;
// - progress stays in this browser (localStorage); the only thing that leaves a widget is the
//   `course:exercise` DOM event, which stays in the page.

// Storage keys and records: progress_store.js, put ahead of this file (one definition for the
// widgets, the page host and the SCORM runtime).
const COURSE_EVENT = "course:exercise";
let smxCounter = 0;

/** A unique id prefix for labels inside one widget. */
function smxUid(prefix) {
  smxCounter += 1;
  return `smx-${prefix}-${smxCounter}-${Math.random().toString(36).slice(2, 7)}`;
}

/** Build an element. Strings become text nodes, never HTML. */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key in el && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function exerciseKey(model) {
  return `${model.get("chapter")}/${model.get("exercise_id")}`;
}

function storageKey(model) {
  return smxExerciseKey(model.get("course_id"), exerciseKey(model));
}

/** The saved record for this exercise, or null (storage may be blocked: then nothing is kept). */
function loadRecord(model) {
  return smxReadRecord(model.get("course_id"), exerciseKey(model));
}

/**
 * Record an attempt: save it, mirror it to the kernel (when there is one) and tell the page.
 * `result` is {answer, correct, completed, score}.
 */
function report(model, result) {
  const before = loadRecord(model);
  const record = {
    v: SMX_RECORD_VERSION,
    course: model.get("course_id"),
    chapter: model.get("chapter"),
    exercise: model.get("exercise_id"),
    type: model.get("spec").type,
    graded: model.get("graded"),
    answer: result.answer,
    attempts: ((before && before.attempts) || 0) + 1,
    correct: Boolean(result.correct),
    // Once completed, an exercise stays completed even if the learner tries again.
    completed: Boolean(result.completed || (before && before.completed)),
    score: typeof result.score === "number" ? result.score : result.correct ? 1 : 0,
    updated: new Date().toISOString(),
  };
  // Private windows or LMS frames may block storage; the exercise still works.
  smxStorageSet(storageKey(model), JSON.stringify(record));
  model.set("response", record);
  model.save_changes();
  const detail = {
    course: record.course,
    chapter: record.chapter,
    exercise: record.exercise,
    id: exerciseKey(model),
    type: record.type,
    graded: record.graded,
    status: result.completed ? "completed" : "attempted",
    correct: record.correct,
    score: record.score,
    attempts: record.attempts,
  };
  window.dispatchEvent(new CustomEvent(COURSE_EVENT, { detail }));
  return record;
}

/**
 * This learner's order for `items` (options or choices, each with an id): a shuffle seeded by
 * the learner (progress_store.js), the exercise and `salt` (a scenario's step), so where the
 * right answer sits is neither the author's order nor a different one on every visit. Written
 * here rather than taken from npm: the widgets are plain files joined into one module.
 */
function learnerOrder(model, items, salt = "") {
  // FNV-1a turns the seed into a number; mulberry32 draws from it for a Fisher-Yates shuffle.
  let state = 2166136261;
  for (const ch of `${smxLearnerSeed(model.get("course_id"))}|${exerciseKey(model)}|${salt}`) {
    state = Math.imul(state ^ ch.codePointAt(0), 16777619) >>> 0;
  }
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = [...items];
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** A saved choice as an item id, or null; saves made before ids kept the source position. */
function savedId(items, saved) {
  if (typeof saved === "number") return items[saved] ? items[saved].id : null;
  return items.some((item) => item.id === saved) ? saved : null;
}

/** Forget this exercise's saved answer (the "Start again" buttons). */
function forget(model) {
  smxStorageRemove(storageKey(model));
  model.set("response", {});
  model.save_changes();
}

/** The frame every exercise sits in: a labelled region with a heading and a prompt. */
function exerciseFrame(model, label) {
  const spec = model.get("spec");
  const headingId = smxUid("title");
  const root = h("section", {
    class: `smx smx-${spec.type}`,
    "aria-labelledby": headingId,
    "data-exercise": exerciseKey(model),
  });
  // With a title, the type of exercise becomes a small kicker above it; without, it is the title.
  if (spec.title) root.append(h("p", { class: "smx-kicker", text: label }));
  const heading = h("div", {
    class: "smx-title",
    id: headingId,
    role: "heading",
    "aria-level": "3",
    text: spec.title || label,
  });
  root.append(heading);
  // Sit one level below the section the exercise appears in, so heading levels never skip.
  requestAnimationFrame(() => {
    const level = headingLevelAfter(root);
    if (level) heading.setAttribute("aria-level", String(level));
  });
  if (spec.prompt) root.append(h("p", { class: "smx-prompt", text: spec.prompt }));
  return root;
}

/** One more than the level of the last heading before `node` in the page (at most 6). */
function headingLevelAfter(node) {
  if (!node.isConnected) return null;
  const all = document.querySelectorAll("h1, h2, h3, h4, h5, h6, [role=heading][aria-level]");
  let level = null;
  for (const heading of all) {
    if (heading === node || node.contains(heading)) break;
    if (!(heading.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING)) break;
    const own = heading.getAttribute("aria-level") || heading.tagName.slice(1);
    level = Number(own);
  }
  return level ? Math.min(level + 1, 6) : null;
}

// ACCOUNT_LABELS and POST_CARD are defined ahead of this file when the module is put together
// (exercises/widgets.py): the account_labels of the judge's rules.yml and the card's one template,
// static/postcard.json, which the {post} directive (coursebook/post_card.py) renders too.

/** The first letters of the author's first two words ("?" without an author). */
function initialsOf(author) {
  const firsts = (author || "").split(/\s+/).map((word) => Array.from(word)[0] || "");
  return Array.from(firsts.join("")).slice(0, 2).join("").toUpperCase() || "?";
}

/** One node of a template (see postcard.json) as DOM; every field goes in as text. */
function fromTemplate(node, fields, extra = {}) {
  if (node.if && !fields[node.if]) return null;
  const fill = (pattern) => pattern.replace(/\{(\w+)\}/g, (_, name) => fields[name] || "");
  const attrs = { class: node.class === undefined ? undefined : fill(node.class) };
  for (const [key, value] of Object.entries(node.attrs || {})) attrs[key] = fill(value);
  if (node.text !== undefined) attrs.text = fill(node.text);
  const children = (node.children || []).map((child) => fromTemplate(child, fields));
  return h(node.tag, { ...attrs, ...extra }, children);
}

/** A social media post drawn as a card; `extra` adds attributes to the card. */
function postCard(post, extra = {}) {
  const fields = {
    initials: initialsOf(post.author),
    author: post.author || "Someone",
    handle: post.handle,
    account: post.account,
    account_label: ACCOUNT_LABELS[post.account] || post.account,
    text: post.text,
    image_alt: post.image_alt,
    meta: [post.platform, post.time].filter(Boolean).join(" · "),
  };
  return fromTemplate(POST_CARD.card, fields, extra);
}

/** A live region for feedback; `show` replaces its content and announces it. */
function feedbackRegion() {
  const region = h("div", { class: "smx-feedback", role: "status", "aria-live": "polite" });
  region.show = (tone, heading, ...paragraphs) => {
    region.replaceChildren();
    region.className = `smx-feedback smx-tone-${tone}`;
    if (heading) region.append(h("p", { class: "smx-feedback-heading", text: heading }));
    for (const text of paragraphs.flat()) {
      if (text) region.append(text instanceof Node ? text : h("p", { text }));
    }
  };
  region.clear = () => {
    region.replaceChildren();
    region.className = "smx-feedback";
  };
  return region;
}

function button(text, onclick, kind = "primary") {
  return h("button", { type: "button", class: `smx-button smx-button-${kind}`, onclick }, text);
}

/** Show a readable notice instead of a broken or blank exercise. */
function renderProblem(el, message) {
  el.replaceChildren(
    h(
      "div",
      { class: "smx smx-problem", role: "alert" },
      h("p", { class: "smx-feedback-heading", text: "This exercise could not be shown." }),
      h("p", { text: message }),
    ),
  );
}

/** Wrap a type's render function so a bug shows a notice instead of a blank space. */
function safeRender(renderExercise) {
  return ({ model, el }) => {
    try {
      const cleanup = renderExercise({ model, el });
      return typeof cleanup === "function" ? cleanup : undefined;
    } catch (err) {
      console.error(err);
      renderProblem(el, `Something went wrong while drawing it (${err && err.message}).`);
      return undefined;
    }
  };
}

/** Whether the learner's system asks for less motion (then scrolling jumps instead of gliding). */
function smxReducedMotion() {
  return Boolean(window.matchMedia?.("(prefers-reduced-motion: reduce)")?.matches);
}

/** Scroll `target` into view unless it is already wholly on screen. */
function revealFeedback(target) {
  if (!target || !target.isConnected) return;
  const rect = target.getBoundingClientRect();
  const height = window.innerHeight || document.documentElement.clientHeight;
  if (rect.height === 0 || (rect.top >= 0 && rect.bottom <= height)) return;
  target.scrollIntoView({
    block: rect.height > height * 0.8 ? "start" : "nearest",
    behavior: smxReducedMotion() ? "auto" : "smooth",
  });
}

/**
 * Run `change` (a Check that opens explanations and feedback) without the page jumping: what
 * opens above `anchor` (the button just pressed) would push it down the screen, so the page is
 * scrolled back by as much, at once; then `target` (the summary under the button) is brought
 * into view. The summary is a live region, so it is also read out.
 */
function checkInPlace(anchor, change, target) {
  const before = anchor.getBoundingClientRect().top;
  change();
  const shift = anchor.getBoundingClientRect().top - before;
  if (shift) window.scrollBy({ top: shift, behavior: "instant" });
  revealFeedback(target);
}

/**
 * A "Start again" button that asks first when it would delete a saved answer. The question
 * opens in place (not window.confirm, which LMS frames may block and which cannot be styled),
 * focus moves to its first button and back to the trigger when the learner keeps the answer.
 */
function startAgainButton(model, label, reset) {
  const questionId = smxUid("confirm");
  const yes = button("Yes, delete it", () => {
    close();
    reset();
  });
  const no = button(
    "No, keep it",
    () => {
      close();
      trigger.focus();
    },
    "secondary",
  );
  const ask = h(
    "div",
    { class: "smx-confirm", role: "group", "aria-labelledby": questionId, hidden: true },
    h("p", {
      id: questionId,
      class: "smx-confirm-question",
      text: "This deletes your saved answer from this browser. Start again?",
    }),
    h("div", { class: "smx-actions" }, yes, no),
  );
  ask.addEventListener("keydown", (event) => {
    if (event.key === "Escape") no.click();
  });
  const trigger = button(
    label,
    () => {
      if (!loadRecord(model)) {
        reset();
        return;
      }
      trigger.hidden = true;
      ask.hidden = false;
      yes.focus();
    },
    "secondary",
  );
  function close() {
    ask.hidden = true;
    trigger.hidden = false;
  }
  return h("span", { class: "smx-start-again" }, trigger, ask);
}
