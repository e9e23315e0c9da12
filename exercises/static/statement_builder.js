// statement_builder.js: write positioning statements ("I am a ROLE in FIELD for AUDIENCE.")
// in three labelled fields each, with a live preview, the judge's problems for each statement,
// and a comparison of the personal and professional statements.

const STATEMENT_LABELS = {
  professional: "Your professional statement",
  personal: "Your personal statement",
};

// statementSentence: statement_sentence.js, put ahead of this file (the plan page uses it too).

function renderStatementBuilder({ model, el }) {
  const spec = model.get("spec");
  const kinds = spec.statements || ["professional", "personal"];
  const root = exerciseFrame(model, "Positioning statement builder");
  if (spec.example) {
    root.append(
      h(
        "details",
        { class: "smx-why" },
        h("summary", { text: "See an example" }),
        h("p", { text: spec.example }),
      ),
    );
  }
  const saved = (loadRecord(model) || {}).answer || {};
  const groups = kinds.map((kind) => {
    const fieldset = h("fieldset", { class: "smx-statement" });
    fieldset.append(h("legend", { text: STATEMENT_LABELS[kind] }));
    const inputs = {};
    const hints = {
      role: ["I am a…", "your role, e.g. nurse, junior developer, apprentice electrician"],
      field: ["in…", "your field, e.g. pediatric care, web accessibility"],
      audience: ["for…", "who it is for, e.g. parents of young kids, small charities"],
    };
    for (const part of ["role", "field", "audience"]) {
      const id = smxUid(`st-${part}`);
      const [lead, help] = hints[part];
      const helpId = `${id}-help`;
      inputs[part] = h("input", {
        type: "text",
        id,
        class: "smx-input",
        autocomplete: "off",
        "aria-describedby": helpId,
      });
      inputs[part].value = (saved[kind] && saved[kind][part]) || "";
      fieldset.append(
        h(
          "div",
          { class: "smx-statement-row" },
          h("label", { for: id, text: lead }),
          inputs[part],
          h("span", { class: "smx-help", id: helpId, text: help }),
        ),
      );
    }
    const preview = h("p", { class: "smx-preview" });
    const problems = h("ul", { class: "smx-finding-list" });
    fieldset.append(h("p", { class: "smx-label", text: "Preview" }), preview, problems);
    return { kind, fieldset, inputs, preview, problems };
  });
  const comparison = h("div", { class: "smx-comparison" });
  const status = h("p", {
    class: "smx-verdict",
    role: "status",
    "aria-live": "polite",
    text: "Getting the statement checker ready…",
  });
  const again = startAgainButton(model, "Start again", () => {
    forget(model);
    for (const g of groups) for (const input of Object.values(g.inputs)) input.value = "";
    evaluate(false);
    groups[0].inputs.role.focus();
  });
  root.append(
    ...groups.map((g) => g.fieldset),
    comparison,
    status,
    h("div", { class: "smx-actions" }, again),
  );
  el.replaceChildren(root);

  let done = Boolean((loadRecord(model) || {}).completed);
  const judgeReady = judgeWhenNeeded(model, el).catch((err) => {
    renderProblem(el, `The statement checker could not start (${err.message}).`);
    throw err;
  });

  function answers() {
    return Object.fromEntries(
      groups.map((g) => [
        g.kind,
        Object.fromEntries(Object.entries(g.inputs).map(([k, i]) => [k, i.value])),
      ]),
    );
  }

  function assess(judge, rules) {
    const sentences = {};
    let allGood = true;
    for (const g of groups) {
      const parts = Object.fromEntries(Object.entries(g.inputs).map(([k, i]) => [k, i.value]));
      const sentence = statementSentence(parts);
      const empty = Object.values(parts).every((v) => !v.trim());
      const check = judge.checkStatement(sentence, rules);
      sentences[g.kind] = sentence;
      g.preview.textContent = sentence;
      g.problems.replaceChildren(
        ...(empty
          ? [
              h("li", {
                class: "smx-finding",
                text: "Fill in the three boxes to see your statement.",
              }),
            ]
          : check.problems.length
            ? check.problems.map((p) =>
                h(
                  "li",
                  { class: "smx-finding smx-finding-warning" },
                  h("strong", { text: "Fix: " }),
                  p.message,
                ),
              )
            : [
                h(
                  "li",
                  { class: "smx-finding smx-finding-info" },
                  h("strong", { text: "Looks good: " }),
                  "specific, short and easy to remember.",
                ),
              ]),
      );
      if (empty || check.problems.length) allGood = false;
    }
    comparison.replaceChildren();
    if (groups.length === 2 && allGood) {
      const compared = judge.compareStatements(sentences.personal, sentences.professional, rules);
      if (compared.problems.length) {
        allGood = false;
        comparison.append(
          h(
            "ul",
            { class: "smx-finding-list" },
            compared.problems.map((p) =>
              h(
                "li",
                { class: "smx-finding smx-finding-warning" },
                h("strong", { text: "Compare: " }),
                p.message,
              ),
            ),
          ),
        );
      } else {
        comparison.append(
          h("p", {
            class: "smx-finding smx-finding-info",
            text: `Your two statements are clearly different (${compared.similarity_percent}% of their key words in common).`,
          }),
        );
      }
    }
    const untouched = groups.every((g) => Object.values(g.inputs).every((i) => !i.value.trim()));
    status.className = `smx-verdict smx-feedback smx-tone-${allGood ? "right" : untouched ? "start" : "info"}`;
    status.textContent = allGood
      ? groups.length === 2
        ? "Done: both statements are specific and tell your two accounts apart."
        : "Done: your statement is specific and easy to remember."
      : untouched
        ? `Fill in the boxes above to build your ${groups.length === 2 ? "two statements" : "statement"}.`
        : "Keep going: fix the points listed under each statement.";
    return allGood;
  }

  function evaluate(fromTyping) {
    judgeReady.then(({ judge, rules }) => {
      const complete = assess(judge, rules);
      if (complete && !done && fromTyping) {
        done = true;
        report(model, { answer: answers(), correct: true, completed: true, score: 1 });
      }
    });
  }

  evaluate(false);
  const onInput = debounce(() => evaluate(true), 200);
  for (const g of groups) {
    for (const input of Object.values(g.inputs)) {
      input.addEventListener("input", onInput);
      input.addEventListener("change", () => {
        judgeReady.then(({ judge, rules }) => {
          if (!assess(judge, rules)) {
            report(model, { answer: answers(), correct: false, completed: false, score: 0 });
          }
        });
      });
    }
  }
}

export default { render: safeRender(renderStatementBuilder) };
