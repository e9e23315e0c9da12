// multiple_choice.js: one right answer (radio buttons) or several (check boxes).
// After "Check", every chosen option explains itself; once the answer is right, every option's
// explanation is shown, so the learner also sees why the others were wrong.

function renderMultipleChoice({ model, el }) {
  const spec = model.get("spec");
  const many = spec.select === "many";
  const root = exerciseFrame(model, many ? "Choose all that apply" : "Choose one answer");
  if (spec.post) root.append(postCard(spec.post));

  const name = smxUid("mc");
  const fieldset = h("fieldset", { class: "smx-options" });
  fieldset.append(h("legend", { class: "smx-visually-hidden", text: spec.prompt || spec.title }));
  // Each learner sees the options in their own order; answers are kept by option id.
  const rows = learnerOrder(model, spec.options).map((option, index) => {
    const id = `${name}-${index}`;
    const input = h("input", {
      type: many ? "checkbox" : "radio",
      name,
      id,
      value: option.id,
      class: "smx-choice-input",
    });
    const note = h("p", { class: "smx-option-feedback", hidden: true });
    const row = h(
      "div",
      { class: "smx-option", "data-option": option.id },
      input,
      h("label", { for: id, class: "smx-choice-label", text: option.text }),
      note,
    );
    fieldset.append(row);
    return { option, input, note, row };
  });

  const feedback = feedbackRegion();
  const check = button("Check answer", () => checkInPlace(check, () => grade(true), feedback));
  const again = startAgainButton(model, "Start again", () => {
    forget(model);
    for (const r of rows) {
      r.input.checked = false;
      r.note.hidden = true;
      r.row.classList.remove("smx-right", "smx-wrong");
    }
    feedback.clear();
    rows[0].input.focus();
  });
  root.append(fieldset, h("div", { class: "smx-actions" }, check, again), feedback);

  function chosen() {
    return rows.filter((r) => r.input.checked).map((r) => r.option.id);
  }

  function grade(fromClick) {
    const picks = chosen();
    if (picks.length === 0) {
      feedback.show("info", "Pick an answer first.", "Choose an option, then press Check answer.");
      return;
    }
    const right = rows.every((r) => r.option.correct === picks.includes(r.option.id));
    for (const r of rows) {
      const show = right || picks.includes(r.option.id);
      r.note.hidden = !show;
      r.row.classList.toggle("smx-right", show && r.option.correct);
      r.row.classList.toggle("smx-wrong", show && !r.option.correct);
      if (show) {
        r.note.replaceChildren(
          h("strong", { text: r.option.correct ? "Right choice. " : "Not this one. " }),
          r.option.feedback,
        );
      }
    }
    if (right) {
      feedback.show("right", "Correct.", many ? "You found every right option." : "");
    } else {
      const picked = rows.filter((r) => picks.includes(r.option.id));
      const missing = rows.filter((r) => r.option.correct && !picks.includes(r.option.id)).length;
      const hint =
        many && missing > 0 && picked.every((r) => r.option.correct)
          ? "Everything you chose is right, but something is missing."
          : "Read the explanation under your choice, then try again.";
      feedback.show("wrong", "Not yet.", hint);
    }
    if (fromClick) report(model, { answer: picks, correct: right, completed: right });
  }

  // Restore a saved answer.
  const saved = loadRecord(model);
  if (saved && Array.isArray(saved.answer)) {
    const ids = saved.answer.map((a) => savedId(spec.options, a));
    for (const r of rows) r.input.checked = ids.includes(r.option.id);
    grade(false);
  }
  el.replaceChildren(root);
}

export default { render: safeRender(renderMultipleChoice) };
