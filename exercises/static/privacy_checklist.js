// privacy_checklist.js: a privacy audit. The learner ticks each step once done on their own
// accounts; each step explains why it matters. Complete when every step is ticked; until then its
// score is the share ticked, which the progress page counts (11 of 12 ticked is most of the job).

function renderPrivacyChecklist({ model, el }) {
  const spec = model.get("spec");
  const root = exerciseFrame(model, "Privacy checklist");
  const status = h("p", { class: "smx-checklist-status", role: "status", "aria-live": "polite" });
  const list = h("ul", { class: "smx-checklist" });
  const rows = spec.items.map((item) => {
    const id = smxUid("pc");
    const input = h("input", {
      type: "checkbox",
      id,
      value: item.id,
      onchange: () => update(true),
    });
    const applies = (item.applies_to || []).map((a) => ACCOUNT_LABELS[a] || a).join(", ");
    list.append(
      h(
        "li",
        { class: "smx-option" },
        input,
        h("label", { for: id, text: item.text }),
        h(
          "details",
          { class: "smx-why" },
          h("summary", { text: "Why this matters" }),
          h("p", { text: item.why }),
          applies ? h("p", { class: "smx-applies", text: `Applies to: ${applies}` }) : null,
        ),
      ),
    );
    return { item, input };
  });
  const again = startAgainButton(model, "Clear my ticks", () => {
    forget(model);
    for (const r of rows) r.input.checked = false;
    update(false);
    rows[0].input.focus();
  });
  root.append(list, status, h("div", { class: "smx-actions" }, again));

  function update(fromClick) {
    const done = rows.filter((r) => r.input.checked).map((r) => r.item.id);
    const total = rows.length;
    status.textContent =
      done.length === total
        ? `All ${total} steps done. Repeat this check every few months, and after any app update.`
        : `${done.length} of ${total} steps done.`;
    status.className = `smx-checklist-status ${done.length === total ? "smx-tone-right" : ""}`;
    if (fromClick) {
      const complete = done.length === total;
      report(model, {
        answer: done,
        correct: complete,
        completed: complete,
        score: done.length / total,
      });
    }
  }

  const saved = loadRecord(model);
  if (saved && Array.isArray(saved.answer)) {
    for (const r of rows) r.input.checked = saved.answer.includes(r.item.id);
  }
  update(false);
  el.replaceChildren(root);
}

export default { render: safeRender(renderPrivacyChecklist) };
