// presence_plan.js: the capstone, "My presence plan". It gathers the learner's own answers from
// earlier chapters (read from the progress store, where those exercises saved them: see
// progress_store.js), adds fields the learner fills in here, lets them edit every part, and turns
// the whole plan into one printable page: printed from here, or downloaded as a self-contained
// HTML file made in the browser. Nothing leaves the browser.
//
// Each part of the plan is one of:
//   statements      the two sentences of a statement builder (answer {professional, personal},
//                   each {role, field, audience}), shown as the sentences the learner saw;
//   account_choice  a decision helper's suggestion and its reasons (answer: one pick per
//                   question), worked out again with decisionResult (decision_result.js);
//   privacy_audit   the steps of a privacy checklist the learner ticked (answer: item ids);
//   own_text        a field only this page has.
// The plan's own record keeps what the learner wrote on this page, part by part, as
// {parts: {<part id>: {value, at}}}. A part shows the newer of that and the chapter's answer, so
// redoing an exercise in its chapter updates the plan, and editing here never changes the
// chapter's own record.

const PLAN_FILE_NAME = "my-presence-plan.html";
const PLAN_SAVE_DELAY_MS = 500;
// The boxes of each kind of text part: [key in the part's value, label, rows (0: one line)].
const PLAN_TEXT_FIELDS = {
  statements: [
    ["professional", "My professional statement", 2],
    ["personal", "My personal statement", 2],
  ],
  account_choice: [
    ["choice", "The set-up I chose", 0],
    ["reasons", "Why it fits me (one reason a line)", 5],
  ],
};

// The downloaded file's own style: one printed page, plain and readable, no outside resources.
const PLAN_FILE_CSS = [
  "@page { size: A4; margin: 12mm; }",
  'body { font: 10pt/1.35 system-ui, "Segoe UI", Roboto, Arial, sans-serif; color: #1f2328;',
  "  max-width: 46rem; margin: 1.5rem auto; padding: 0 1rem; }",
  "h1 { font-size: 1.5rem; margin: 0 0 0.2rem; }",
  "h2 { font-size: 1.05rem; margin: 0.9rem 0 0.25rem; border-bottom: 1px solid #8c959f; }",
  "h3 { font-size: 0.95rem; margin: 0.4rem 0 0.1rem; }",
  "p, ul { margin: 0.2rem 0; }",
  "ul { padding-left: 1.2rem; }",
  "@media print, (min-width: 40rem) { .smx-plan-steps { columns: 2; column-gap: 1.5rem; } }",
  ".smx-plan-steps li { break-inside: avoid; }",
  ".smx-plan-meta, .smx-plan-sheet-empty { color: #4b535d; }",
  "@media print { body { margin: 0; padding: 0; max-width: none; } }",
].join("\n");

function planHref(info) {
  // On the built site every page knows the way back to the site root; elsewhere (JupyterLab)
  // the chapters sit next to each other.
  const root = document.documentElement.getAttribute("data-content_root");
  const page = root === null ? info.page.split("/").pop() : `${root}${info.page}`;
  return `${page}.html`;
}

function planBlank(value) {
  return !value || !String(value).trim();
}

/** What a part shows when nothing is saved anywhere. */
function planEmptyValue(part) {
  if (part.kind === "statements") return { professional: "", personal: "" };
  if (part.kind === "account_choice") return { choice: "", reasons: "" };
  if (part.kind === "privacy_audit") return { done: [] };
  return { text: "" };
}

/** The learner's answer in the part's chapter, as the part's value, or null. */
function planGather(course, part, source) {
  if (!source) return null;
  const record = smxReadRecord(course, part.from);
  const answer = record && record.answer;
  if (answer === undefined || answer === null) return null;
  let value = null;
  if (part.kind === "statements" && typeof answer === "object") {
    const sentence = (kind) => {
      const parts = answer[kind];
      const filled = parts && ["role", "field", "audience"].some((k) => !planBlank(parts[k]));
      return filled ? statementSentence(parts) : "";
    };
    value = { professional: sentence("professional"), personal: sentence("personal") };
    if (planBlank(value.professional) && planBlank(value.personal)) value = null;
  } else if (part.kind === "account_choice") {
    const result = decisionResult(source, answer);
    if (result) {
      value = {
        choice: result.winners.map((w) => w.title).join(" or "),
        reasons: result.reasons.join("\n"),
      };
    }
  } else if (part.kind === "privacy_audit" && Array.isArray(answer)) {
    const known = new Set(source.items.map((item) => item.id));
    value = { done: answer.filter((id) => known.has(id)) };
  }
  return value ? { value, updated: record.updated || "" } : null;
}

function planIsBlank(part, value, from) {
  if (part.kind === "statements") return planBlank(value.professional) && planBlank(value.personal);
  if (part.kind === "account_choice") return planBlank(value.choice) && planBlank(value.reasons);
  if (part.kind === "privacy_audit") return from === "none" && value.done.length === 0;
  return planBlank(value.text);
}

function planLines(text) {
  return String(text || "")
    .split("\n")
    .map((line) => line.replace(/^\s*[-*•]\s*/, "").trim())
    .filter(Boolean);
}

function renderPresencePlan({ model, el }) {
  const spec = model.get("spec");
  const sources = model.get("sources") || { exercises: {}, chapters: {} };
  const course = model.get("course_id");
  const saved = ((loadRecord(model) || {}).answer || {}).parts || {};
  const own = typeof saved === "object" ? { ...saved } : {};
  // Blocked storage, or the page's stand-in for it that lasts only as long as the page
  // (coursebook/static/storage_guard.js marks it): nothing from the chapters, nothing kept.
  const storable =
    document.documentElement.getAttribute("data-smx-storage") !== "memory" &&
    smxStorageSet(`${SMX_STORE}:probe`, "1") &&
    smxStorageRemove(`${SMX_STORE}:probe`);

  const root = exerciseFrame(model, "Capstone");
  if (!storable) {
    root.append(
      h("p", {
        class: "smx-feedback smx-tone-info",
        text:
          "This browser is not letting the course keep anything, so the plan cannot bring in " +
          "your answers from the chapters, and what you type here is not kept. You can still " +
          "fill it in and download it.",
      }),
    );
  }
  const form = h("div", { class: "smx-plan-form" });
  const sheet = h("div", { class: "smx-plan-sheet" });
  const status = h("p", { class: "smx-plan-status", role: "status", "aria-live": "polite" });

  function chapterLink(part) {
    const chapter = part.chapter || part.from.split("/")[0];
    const info = sources.chapters[chapter];
    return info ? h("a", { href: planHref(info), text: info.title }) : null;
  }

  /** The value a part shows now: the newer of this page's edit and the chapter's answer. */
  function current(part) {
    const gathered = planGather(course, part, sources.exercises[part.from]);
    const mine = own[part.id];
    if (mine && mine.value && (!gathered || String(mine.at) >= String(gathered.updated))) {
      return { value: { ...planEmptyValue(part), ...mine.value }, from: "page", gathered };
    }
    if (gathered) return { value: gathered.value, from: "chapter", gathered };
    return { value: planEmptyValue(part), from: "none", gathered };
  }

  const views = spec.parts.map((part) => planPart(part));
  form.append(...views.map((v) => v.box));
  const download = button("Download my plan", () => downloadPlan());
  const print = button("Print my plan", () => window.print(), "secondary");
  root.append(
    form,
    h("div", { class: "smx-actions smx-plan-actions" }, download, print),
    status,
    sheet,
  );
  el.replaceChildren(root);
  // One level below the plan's own heading, which exerciseFrame sets in the same way.
  requestAnimationFrame(() => {
    const top = root.querySelector(".smx-title");
    const level = Math.min(Number(top.getAttribute("aria-level") || 3) + 1, 6);
    for (const v of views) v.heading.setAttribute("aria-level", String(level));
  });
  refreshSheet();

  function planPart(part) {
    const headingId = smxUid("plan-part");
    const heading = h("div", {
      class: "smx-plan-heading",
      id: headingId,
      role: "heading",
      "aria-level": "4",
      text: part.heading,
    });
    const box = h("section", {
      class: `smx-plan-part smx-plan-${part.kind}`,
      "aria-labelledby": headingId,
      "data-part": part.id,
    });
    const empty = h("p", { class: "smx-plan-empty" }, `${part.empty} `);
    const link = chapterLink(part);
    if (link) empty.append("Go to ", link, ".");
    const origin = h("p", { class: "smx-plan-origin" });
    const again = button(
      "Use my answers from the chapter again",
      () => {
        delete own[part.id];
        view.fill(current(part).value);
        changed(true);
        view.fields()[0].focus();
      },
      "secondary",
    );
    box.append(heading, empty, origin);
    const helpId = smxUid("plan-help");
    if (part.help) box.append(h("p", { class: "smx-help", id: helpId, text: part.help }));
    const view = { part, box, heading, empty, origin, again, headingId };
    if (part.help) view.helpId = helpId;
    Object.assign(view, planFields(part, box, view));
    if (part.example) {
      box.append(
        h(
          "details",
          { class: "smx-why" },
          h("summary", { text: "See an example" }),
          h("p", { text: part.example }),
        ),
      );
    }
    box.append(h("div", { class: "smx-actions" }, again));
    view.fill(current(part).value);
    for (const field of view.fields()) {
      field.addEventListener("input", () => edited(part, view));
      field.addEventListener("change", () => edited(part, view, true));
    }
    view.show = () => {
      const now = current(part);
      const blank = planIsBlank(part, now.value, now.from);
      empty.hidden = !blank;
      again.hidden = !(now.from === "page" && now.gathered);
      origin.replaceChildren();
      if (now.from === "chapter" && link) {
        origin.append(
          "From your answers in ",
          link.cloneNode(true),
          ". Edit them here if you like.",
        );
      } else if (now.from === "page" && part.kind !== "own_text") {
        origin.append("Edited on this page.");
      }
      origin.hidden = !origin.childNodes.length;
      if (view.count) view.count(now.value);
    };
    view.show();
    return view;
  }

  function planFields(part, box, view) {
    if (part.kind !== "privacy_audit") {
      // Text parts: one labelled box per key of the part's value (rows 0: a one-line box). An
      // own_text part has one box, named by the part's heading.
      const boxes = (PLAN_TEXT_FIELDS[part.kind] || [["text", null, 4]]).map(
        ([key, label, rows]) => {
          const id = smxUid(`plan-${part.id}`);
          const named = label ? {} : { "aria-labelledby": view.headingId };
          const about = view.helpId ? { "aria-describedby": view.helpId } : {};
          const field = rows
            ? h("textarea", {
                id,
                class: "smx-textarea smx-plan-text",
                rows: String(rows),
                ...named,
                ...about,
              })
            : h("input", { type: "text", id, class: "smx-input", autocomplete: "off" });
          if (label) box.append(h("label", { class: "smx-label", for: id, text: label }));
          box.append(field);
          return [key, field];
        },
      );
      return {
        fields: () => boxes.map(([, field]) => field),
        read: () => Object.fromEntries(boxes.map(([key, field]) => [key, field.value])),
        fill: (v) => {
          for (const [key, field] of boxes) field.value = v[key];
        },
      };
    }
    const items = (sources.exercises[part.from] || { items: [] }).items;
    const list = h("ul", { class: "smx-checklist" });
    const boxes = items.map((item) => {
      const id = smxUid(`plan-${part.id}`);
      const input = h("input", { type: "checkbox", id, value: item.id });
      list.append(
        h("li", { class: "smx-option" }, input, h("label", { for: id, text: item.text })),
      );
      return input;
    });
    const count = h("p", { class: "smx-checklist-status" });
    box.append(list, count);
    return {
      fields: () => boxes,
      read: () => ({ done: boxes.filter((b) => b.checked).map((b) => b.value) }),
      fill: (v) => {
        for (const b of boxes) b.checked = v.done.includes(b.value);
      },
      count: (v) => {
        count.textContent = `${v.done.length} of ${items.length} steps done.`;
      },
    };
  }

  let timer = null;

  function edited(part, view, now = false) {
    own[part.id] = { value: view.read(), at: new Date().toISOString() };
    view.show();
    changed(now);
  }

  function changed(now) {
    for (const v of views) v.show();
    refreshSheet();
    clearTimeout(timer);
    timer = now ? null : setTimeout(save, PLAN_SAVE_DELAY_MS);
    if (now) save();
  }

  function save() {
    timer = null;
    const filled = views.filter((v) => {
      const now = current(v.part);
      return !planIsBlank(v.part, now.value, now.from);
    });
    const complete = filled.length === views.length;
    report(model, {
      answer: { parts: own },
      correct: complete,
      completed: complete,
      score: filled.length / views.length,
    });
    status.textContent = storable
      ? complete
        ? "Saved in this browser. Every part of your plan is filled in."
        : `Saved in this browser. ${filled.length} of ${views.length} parts filled in.`
      : "Not saved: this browser keeps nothing. Download your plan before you leave.";
  }

  // Keep the last edit when the learner leaves before the save delay is over.
  window.addEventListener("pagehide", () => {
    if (timer) save();
  });

  /** The plan as one printable page (the same nodes are printed here and downloaded). */
  function refreshSheet() {
    const title = ((window.COURSE_MANIFEST && window.COURSE_MANIFEST.course) || {}).title;
    const when = new Date().toLocaleDateString(undefined, { dateStyle: "long" });
    sheet.replaceChildren(
      h("h1", { text: spec.title || "My presence plan" }),
      h("p", { class: "smx-plan-meta", text: title ? `${when} · ${title}` : when }),
      ...views.flatMap((v) => sheetPart(v.part, current(v.part))),
    );
  }

  function sheetPart(part, now) {
    const out = [h("h2", { text: part.heading })];
    const chapter = sources.chapters[part.chapter || (part.from || "").split("/")[0]];
    if (planIsBlank(part, now.value, now.from)) {
      const where = chapter ? ` See the chapter “${chapter.title}”.` : "";
      out.push(h("p", { class: "smx-plan-sheet-empty", text: `Not filled in yet.${where}` }));
      return out;
    }
    const v = now.value;
    if (part.kind === "statements") {
      for (const [kind, label] of [
        ["professional", "Professional"],
        ["personal", "Personal"],
      ]) {
        if (!planBlank(v[kind])) out.push(h("p", {}, h("strong", { text: `${label}: ` }), v[kind]));
      }
    } else if (part.kind === "account_choice") {
      if (!planBlank(v.choice))
        out.push(h("p", {}, h("strong", { text: "My set-up: " }), v.choice));
      const reasons = planLines(v.reasons);
      if (reasons.length) {
        out.push(
          h("p", { text: "Why it fits me:" }),
          h(
            "ul",
            {},
            reasons.map((r) => h("li", { text: r })),
          ),
        );
      }
    } else if (part.kind === "privacy_audit") {
      // The steps still to do are the ones to act on; the done ones are only counted, so the
      // plan stays on one page.
      const items = (sources.exercises[part.from] || { items: [] }).items;
      const todo = items.filter((item) => !v.done.includes(item.id));
      out.push(h("p", { text: `${items.length - todo.length} of ${items.length} steps done.` }));
      if (todo.length) {
        out.push(
          h("h3", { text: "Still to do" }),
          h(
            "ul",
            { class: "smx-plan-steps" },
            todo.map((i) => h("li", { text: i.text })),
          ),
        );
      }
    } else {
      for (const line of String(v.text)
        .split(/\n+/)
        .filter((l) => l.trim()))
        out.push(h("p", { text: line }));
    }
    return out;
  }

  function downloadPlan() {
    refreshSheet();
    // A new document made of nodes built with textContent: the browser escapes what the
    // learner wrote when it writes the file, so none of it is ever read as HTML.
    const doc = document.implementation.createHTMLDocument(spec.title || "My presence plan");
    doc.documentElement.setAttribute("lang", "en");
    const meta = doc.createElement("meta");
    meta.setAttribute("charset", "utf-8");
    const style = doc.createElement("style");
    style.textContent = PLAN_FILE_CSS;
    doc.head.prepend(meta);
    doc.head.append(style);
    const main = doc.createElement("main");
    main.append(...[...sheet.childNodes].map((node) => doc.importNode(node, true)));
    doc.body.append(main);
    const file = `<!doctype html>\n${doc.documentElement.outerHTML}\n`;
    const url = URL.createObjectURL(new Blob([file], { type: "text/html;charset=utf-8" }));
    const link = h("a", { href: url, download: PLAN_FILE_NAME, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    status.textContent = `Your plan is in your downloads as ${PLAN_FILE_NAME}. Open it to print it or keep it.`;
  }
}

export default { render: safeRender(renderPresencePlan) };
