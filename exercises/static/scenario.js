// scenario.js: a branching scenario (challenge, choices, consequences). Each choice shows its
// consequence and a rating before the learner moves on; the end shows a debrief of the path taken.
// A scenario played to its end is complete; it counts as answered correctly when it ended well
// (the last choice was a strong one), and its score is the share of strong choices on the path.
// The debrief says both, so the progress page never surprises the learner.

const RATING_TEXT = {
  best: "Strong choice",
  acceptable: "Workable, with a cost",
  poor: "Risky choice",
};

function renderScenario({ model, el }) {
  const spec = model.get("spec");
  const steps = Object.fromEntries(spec.steps.map((s) => [s.id, s]));
  const root = exerciseFrame(model, "Scenario");
  const stage = h("div", { class: "smx-stage" });
  root.append(stage);
  let path = [];

  function showStep(stepId) {
    const step = steps[stepId];
    const number = path.length + 1;
    const headingId = smxUid("step");
    const panel = h(
      "div",
      { class: "smx-step", role: "group", "aria-labelledby": headingId },
      h("p", { id: headingId, class: "smx-step-title", tabindex: "-1", text: `Step ${number}` }),
      h("p", { class: "smx-situation", text: step.situation }),
    );
    if (step.post) panel.append(postCard(step.post));
    const choiceList = h("ul", { class: "smx-choice-list" });
    const outcome = h("div", { class: "smx-outcome", "aria-live": "polite" });
    // Each learner sees the choices in their own order; the path keeps choice ids.
    const buttons = learnerOrder(model, step.choices, stepId).map((choice) => {
      const b = button(choice.text, () => choose(choice, b), "choice");
      b.dataset.choice = choice.id;
      choiceList.append(h("li", {}, b));
      return b;
    });
    panel.append(h("p", { class: "smx-ask", text: "What do you do?" }), choiceList, outcome);
    stage.replaceChildren(panel);
    if (path.length > 0) panel.querySelector(".smx-step-title").focus();

    function choose(choice, pressed) {
      path.push({ step: stepId, choice: choice.id, rating: choice.rating });
      for (const b of buttons) {
        b.disabled = true;
        b.setAttribute("aria-pressed", b === pressed ? "true" : "false");
      }
      const next = choice.next
        ? button("Continue", () => showStep(choice.next))
        : button("See the debrief", () => finish(true));
      outcome.replaceChildren(
        h(
          "div",
          {
            class: `smx-feedback smx-tone-${choice.rating === "best" ? "right" : choice.rating === "poor" ? "wrong" : "info"}`,
          },
          h("p", { class: "smx-feedback-heading", text: RATING_TEXT[choice.rating] }),
          h("p", { text: choice.consequence }),
        ),
        h("div", { class: "smx-actions" }, next),
      );
      next.focus();
    }
  }

  function finish(fromPlay) {
    const best = path.filter((p) => p.rating === "best").length;
    const score = path.length ? best / path.length : 0;
    const allBest = path.length > 0 && best === path.length;
    const endedWell = path.length > 0 && path[path.length - 1].rating === "best";
    const percent = Math.round(score * 100);
    const headingId = smxUid("debrief");
    const summary = h(
      "ol",
      { class: "smx-path" },
      path.map((p) => {
        const step = steps[p.step];
        const choice = step && step.choices.find((c) => c.id === p.choice);
        if (!choice) return null;
        return h("li", {}, h("strong", { text: `${RATING_TEXT[p.rating]}: ` }), choice.text);
      }),
    );
    const panel = h(
      "div",
      { class: "smx-debrief", role: "group", "aria-labelledby": headingId },
      h("p", { id: headingId, tabindex: "-1", class: "smx-step-title", text: "Debrief" }),
      h("p", {
        class: "smx-feedback-heading",
        text: allBest
          ? "You made the strongest choice at every step."
          : `You made the strongest choice at ${best} of ${path.length} steps.`,
      }),
      h("p", {
        class: "smx-score",
        text: endedWell
          ? `You ended well, so this scenario counts as answered correctly. Your score is ${percent}%: the share of steps where you made the strongest choice.`
          : `Your last choice was not the strongest, so this scenario does not count as correct yet. Your score is ${percent}%: the share of steps where you made the strongest choice. Play again to try another path.`,
      }),
      h("p", { text: "Your path:" }),
      summary,
      h("p", { class: "smx-debrief-text", text: spec.debrief }),
      h(
        "div",
        { class: "smx-actions" },
        button(
          "Play again",
          () => {
            path = [];
            showStep(spec.start);
            stage.querySelector("button").focus();
          },
          "secondary",
        ),
      ),
    );
    stage.replaceChildren(panel);
    if (fromPlay) {
      panel.querySelector(".smx-step-title").focus();
      report(model, { answer: path, correct: endedWell, completed: true, score });
    }
  }

  const saved = loadRecord(model);
  if (saved && Array.isArray(saved.answer) && saved.answer.length) {
    path = saved.answer
      .filter((p) => p && steps[p.step])
      .map((p) => ({ ...p, choice: savedId(steps[p.step].choices, p.choice) }))
      .filter((p) => p.choice !== null);
    finish(false);
  } else {
    showStep(spec.start);
  }
  el.replaceChildren(root);
}

export default { render: safeRender(renderScenario) };
