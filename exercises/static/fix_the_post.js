// fix_the_post.js: rewrite a risky post until the judge finds it fit for its account, while
// keeping what the post was for. Findings update as the learner types; problem words are
// highlighted in a copy of the text; a model rewrite can be revealed.

function renderFixThePost({ model, el }) {
  const spec = model.get("spec");
  const account = spec.post.account;
  const accountName = (ACCOUNT_LABELS[account] || account).toLowerCase();
  const root = exerciseFrame(model, "Fix the post");
  const boxId = smxUid("rewrite");
  const helpId = smxUid("help");
  const box = h("textarea", {
    id: boxId,
    class: "smx-textarea",
    rows: "5",
    spellcheck: "true",
    "aria-describedby": helpId,
  });
  box.value = spec.post.text;
  const verdict = h("p", {
    class: "smx-verdict",
    role: "status",
    "aria-live": "polite",
    text: "Getting the post checker ready…",
  });
  const details = h("div", { class: "smx-findings" });
  const model_area = h("div", { class: "smx-model-rewrite" });
  root.append(
    h("p", { class: "smx-label", text: "The original post" }),
    postCard(spec.post),
    h(
      "p",
      { class: "smx-purpose", id: helpId },
      h("strong", { text: "What the post is for: " }),
      spec.purpose.summary,
    ),
    h("label", { for: boxId, class: "smx-label", text: `Your rewrite for a ${accountName}` }),
    box,
    verdict,
    details,
  );
  if (spec.hint) {
    root.append(
      h(
        "details",
        { class: "smx-why" },
        h("summary", { text: "Need a hint?" }),
        h("p", { text: spec.hint }),
      ),
    );
  }
  const reveal = button(
    "Show a model rewrite",
    () => {
      model_area.replaceChildren(
        h("p", { class: "smx-label", text: "One good rewrite (yours can be different)" }),
        postCard({ ...spec.post, text: spec.model_rewrite }),
      );
      reveal.disabled = true;
    },
    "secondary",
  );
  const again = startAgainButton(model, "Start again", () => {
    forget(model);
    box.value = spec.post.text;
    model_area.replaceChildren();
    reveal.disabled = false;
    evaluate(false);
    box.focus();
  });
  root.append(h("div", { class: "smx-actions" }, reveal, again), model_area);
  el.replaceChildren(root);

  let judgeReady = null;
  let done = Boolean((loadRecord(model) || {}).completed);

  function assess(judge, rules, text) {
    // The same decision as the graded assignment and `python -m autograder.rewrite`.
    const check = judge.checkRewrite(text, spec.post.text, account, spec.purpose, rules);
    const review = { verdict: check.verdict, findings: check.findings };
    return {
      review,
      // null when the judge already objects or the post is not one the model learned
      stillRisky: check.still_risky && check.still_risky.flagged ? check.still_risky : null,
      purpose: check.purpose,
      longEnough: check.length.ok,
      changed: check.changed,
      complete: check.passes,
      labels: rules.verdict_labels,
    };
  }

  function show(text, result, minWords) {
    const { review, stillRisky, purpose, longEnough, complete, labels } = result;
    const tone = complete ? "right" : review.verdict === "do_not_post" ? "wrong" : "info";
    verdict.className = `smx-verdict smx-feedback smx-tone-${tone}`;
    verdict.textContent = complete
      ? `Done: this version is ready for a ${accountName}.`
      : stillRisky
        ? `For a ${accountName}: still risky, only in softer words (see below).`
        : review.verdict === "ok"
          ? `For a ${accountName}: fine to post, but not yet a fix (see below).`
          : `For a ${accountName}: ${labels[review.verdict]}.`;
    // The judge can give the same note for two matches (a word and a phrase, or a finding and
    // the purpose check): show each note once.
    const seen = new Set();
    const findings = review.findings.filter((f) => {
      if (seen.has(f.message)) return false;
      seen.add(f.message);
      return true;
    });
    const items = findings.map((f) =>
      h(
        "li",
        { class: `smx-finding smx-finding-${f.severity}` },
        // the judge's note that it cannot read the language is neither a risk nor a good sign
        h("strong", {
          text: `${f.category === "language" ? "Note" : SEVERITY_TEXT[f.severity]}: `,
        }),
        f.message,
      ),
    );
    if (stillRisky) {
      items.push(
        h(
          "li",
          { class: "smx-finding smx-finding-warning" },
          h("strong", { text: "Still risky: " }),
          stillRisky.message,
        ),
      );
    }
    if (!seen.has(purpose.message)) {
      items.push(
        h(
          "li",
          { class: `smx-finding smx-finding-${purpose.kept ? "info" : "warning"}` },
          h("strong", {
            text: purpose.kept ? `${SEVERITY_TEXT.info}: ` : `${SEVERITY_TEXT.warning}: `,
          }),
          purpose.message,
        ),
      );
    }
    if (!longEnough) {
      items.push(
        h(
          "li",
          { class: "smx-finding smx-finding-warning" },
          h("strong", { text: "Too short: " }),
          `Write a full post of at least ${minWords} words, so it can still do its job.`,
        ),
      );
    }
    // the softer-words check marks its words like a warning of the judge's
    const marks = stillRisky
      ? [...review.findings, { ...stillRisky, severity: "warning" }]
      : review.findings;
    const flagged = marks.some((f) => f.severity !== "info");
    // replaceChildren would print a null as the text "null": add only what is there.
    const parts = flagged
      ? [
          h("p", { class: "smx-label", text: "Where the judge sees problems:" }),
          highlightedText(text, marks),
        ]
      : [];
    details.replaceChildren(...parts, h("ul", { class: "smx-finding-list" }, items));
  }

  function evaluate(fromTyping) {
    const text = box.value;
    judgeReady.then(({ judge, rules }) => {
      if (box.value !== text) return; // the learner kept typing
      const result = assess(judge, rules, text);
      show(text, result, rules.purpose.min_words);
      if (result.complete && !done && fromTyping) {
        done = true;
        report(model, { answer: text, correct: true, completed: true, score: 1 });
      }
    });
  }

  judgeReady = judgeWhenNeeded(model, el).catch((err) => {
    renderProblem(el, `The post checker could not start (${err.message}).`);
    throw err;
  });
  const saved = loadRecord(model);
  if (saved && typeof saved.answer === "string") box.value = saved.answer;
  evaluate(false);
  box.addEventListener(
    "input",
    debounce(() => evaluate(true), 250),
  );
  // Leaving the box after a change counts as an attempt.
  box.addEventListener("change", () => {
    judgeReady.then(({ judge, rules }) => {
      const result = assess(judge, rules, box.value);
      if (!result.complete) {
        report(model, { answer: box.value, correct: false, completed: false, score: 0 });
      }
    });
  });
}

export default { render: safeRender(renderFixThePost) };
