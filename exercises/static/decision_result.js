// decision_result.js: what a decision helper suggests for a set of answers, and why. Shared by
// the decision helper and the presence plan, which shows the learner's suggestion again; put
// ahead of their modules by exercises/widgets.py.

/**
 * `picks` holds one saved answer per question: the chosen option's position, or its id when
 * options carry ids. Returns {winners: [outcome], reasons: [text]}, or null when a question has
 * no answer.
 */
function decisionResult(spec, picks) {
  const totals = Object.fromEntries(spec.outcomes.map((o) => [o.id, 0]));
  const reasons = [];
  for (const [i, question] of spec.questions.entries()) {
    const pick = Array.isArray(picks) ? picks[i] : null;
    const option =
      typeof pick === "number"
        ? question.options[pick]
        : question.options.find((o) => o.id !== undefined && o.id === pick);
    if (!option) return null;
    for (const [key, points] of Object.entries(option.points)) totals[key] += points;
    reasons.push(option.reason);
  }
  const best = Math.max(...Object.values(totals));
  return { winners: spec.outcomes.filter((o) => totals[o.id] === best), reasons };
}
