// decision_helper.js: questions about the learner's own situation lead to a recommendation with
// the reasons behind it. There is no wrong answer; the exercise is complete once every question
// is answered and the recommendation has been shown.

function renderDecisionHelper({ model, el }) {
  const spec = model.get("spec");
  const root = exerciseFrame(model, "Decision helper");
  const outcomes = Object.fromEntries(spec.outcomes.map((o) => [o.id, o]));
  const groups = spec.questions.map((question, qIndex) => {
    const name = smxUid("dq");
    const fieldset = h("fieldset", { class: "smx-question" });
    fieldset.append(h("legend", { text: `${qIndex + 1}. ${question.text}` }));
    const inputs = question.options.map((option, oIndex) => {
      const id = `${name}-${oIndex}`;
      const input = h("input", { type: "radio", name, id, value: String(oIndex) });
      fieldset.append(
        h("div", { class: "smx-option" }, input, h("label", { for: id, text: option.text })),
      );
      return input;
    });
    return { question, fieldset, inputs };
  });
  // Not a live region: a click moves focus to the result's heading, which is read out then.
  const result = h("div", { class: "smx-recommendation" });
  const feedback = feedbackRegion();
  const show = button("Show my recommendation", () => decide(true));
  const again = startAgainButton(model, "Start again", () => {
    forget(model);
    for (const g of groups) for (const input of g.inputs) input.checked = false;
    result.replaceChildren();
    feedback.clear();
    groups[0].inputs[0].focus();
  });
  root.append(
    ...groups.map((g) => g.fieldset),
    h("div", { class: "smx-actions" }, show, again),
    feedback,
    result,
  );

  function answers() {
    return groups.map((g) => {
      const hit = g.inputs.find((input) => input.checked);
      return hit ? Number(hit.value) : null;
    });
  }

  function decide(fromClick) {
    const picks = answers();
    const missing = picks.filter((p) => p === null).length;
    if (missing) {
      feedback.show("info", `Answer every question first (${missing} left).`);
      result.replaceChildren();
      if (fromClick) revealFeedback(feedback);
      return;
    }
    feedback.clear();
    const { winners, reasons } = decisionResult(spec, picks); // decision_result.js
    const headingId = smxUid("rec");
    const heading =
      winners.length === 1
        ? `Our suggestion: ${winners[0].title}`
        : `Two approaches fit you equally well: ${winners.map((w) => w.title).join(" or ")}`;
    result.replaceChildren(
      h(
        "div",
        { class: "smx-feedback smx-tone-info", role: "group", "aria-labelledby": headingId },
        h("p", {
          class: "smx-feedback-heading",
          id: headingId,
          tabindex: "-1",
          text: heading,
        }),
        winners.map((w) => h("p", { text: outcomes[w.id].explanation })),
        h("p", { text: "Why, based on your answers:" }),
        h(
          "ul",
          {},
          reasons.map((r) => h("li", { text: r })),
        ),
      ),
    );
    if (fromClick) {
      report(model, { answer: picks, correct: true, completed: true, score: 1 });
      // Take the learner to the result: focus its heading (read out) and keep it in view.
      document.getElementById(headingId).focus({ preventScroll: true });
      revealFeedback(result);
    }
  }

  const saved = loadRecord(model);
  if (saved && Array.isArray(saved.answer)) {
    for (const [i, value] of saved.answer.entries()) {
      if (groups[i] && groups[i].inputs[value]) groups[i].inputs[value].checked = true;
    }
    decide(false);
  }
  el.replaceChildren(root);
}

export default { render: safeRender(renderDecisionHelper) };
