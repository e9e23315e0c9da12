// sort_the_posts.js: put each post card into a category. Each card has its own group of radio
// buttons, so sorting works by keyboard (Tab to a card, arrow keys to a category) and by touch or
// mouse without any dragging (WCAG 2.5.7). "Check" explains every card, right or wrong.

function renderSortThePosts({ model, el }) {
  const spec = model.get("spec");
  const root = exerciseFrame(model, "Sort the posts");
  const categories = spec.categories;
  const labelOf = Object.fromEntries(categories.map((c) => [c.id, c.label]));

  const legend = h(
    "ul",
    { class: "smx-categories" },
    categories.map((c) =>
      h("li", {}, h("strong", { text: c.label }), c.description ? ` ${c.description}` : ""),
    ),
  );
  if (categories.some((c) => c.description)) root.append(legend);

  const list = h("ol", { class: "smx-cards" });
  const cards = spec.cards.map((card, index) => {
    const name = smxUid("sort");
    const cardId = smxUid("card");
    const answers = Array.isArray(card.answer) ? card.answer : [card.answer];
    const group = h("fieldset", { class: "smx-sort-choices" });
    const question = spec.card_question || "Where does post {n} belong?";
    group.append(h("legend", { text: question.replaceAll("{n}", String(index + 1)) }));
    const inputs = categories.map((category) => {
      const id = `${name}-${category.id}`;
      const input = h("input", { type: "radio", name, id, value: category.id });
      group.append(
        h("span", { class: "smx-pill" }, input, h("label", { for: id, text: category.label })),
      );
      return input;
    });
    const note = h("p", { class: "smx-card-feedback", hidden: true });
    const item = h(
      "li",
      { class: "smx-card-item", id: smxUid("card-item") },
      postCard(card.post, { id: cardId, "aria-label": `Post ${index + 1}` }),
      group,
      note,
    );
    list.append(item);
    return { card, answers, inputs, note, item, number: index + 1 };
  });

  const feedback = feedbackRegion();
  const check = button("Check my sorting", () => checkInPlace(check, () => grade(true), feedback));
  const again = startAgainButton(model, "Start again", () => {
    forget(model);
    for (const c of cards) {
      for (const input of c.inputs) input.checked = false;
      c.note.hidden = true;
      c.item.classList.remove("smx-right", "smx-wrong");
    }
    feedback.clear();
    cards[0].inputs[0].focus();
  });
  root.append(list, h("div", { class: "smx-actions" }, check, again), feedback);

  function picks() {
    return cards.map((c) => {
      const hit = c.inputs.find((input) => input.checked);
      return hit ? hit.value : null;
    });
  }

  function grade(fromClick) {
    const answer = picks();
    const unsorted = answer.filter((a) => a === null).length;
    if (fromClick && unsorted === answer.length) {
      feedback.show("info", "Sort at least one post first.", "Choose a category under each post.");
      return;
    }
    let right = 0;
    for (const [i, c] of cards.entries()) {
      const pick = answer[i];
      c.item.classList.remove("smx-right", "smx-wrong");
      if (pick === null) {
        c.note.hidden = false;
        c.note.replaceChildren(h("strong", { text: "Not sorted yet." }));
        continue;
      }
      const ok = c.answers.includes(pick);
      if (ok) right += 1;
      c.item.classList.add(ok ? "smx-right" : "smx-wrong");
      const best = c.answers.map((a) => labelOf[a]).join(" or ");
      c.note.hidden = false;
      c.note.replaceChildren(
        h("strong", {
          text: ok ? `Right: ${labelOf[pick]}. ` : `You chose ${labelOf[pick]}; better: ${best}. `,
        }),
        c.card.feedback,
      );
    }
    const total = cards.length;
    const allRight = right === total;
    if (allRight) {
      feedback.show(
        "right",
        `All ${total} posts sorted well.`,
        "Read the notes under each post to see why.",
      );
    } else {
      feedback.show(
        "wrong",
        `${right} of ${total} posts are in a good place.`,
        unsorted ? `${unsorted} still to sort. ` : "",
        "Read the note under each post, change the ones marked, then check again.",
        lookAgain(cards.filter((c, i) => answer[i] === null || !c.answers.includes(answer[i]))),
      );
    }
    if (fromClick) {
      report(model, { answer, correct: allRight, completed: allRight, score: right / total });
    }
  }

  /** Links to the cards that need another look: each one scrolls to its card and focuses its
   *  choices, so a wrong card far up the list is one tap or Enter away. */
  function lookAgain(wrong) {
    if (!wrong.length) return null;
    const links = wrong.map((c) => {
      const link = h("a", {
        href: `#${c.item.id}`,
        class: "smx-look-again-link",
        text: `Post ${c.number}`,
      });
      link.addEventListener("click", (event) => {
        event.preventDefault();
        const input = c.inputs.find((x) => x.checked) || c.inputs[0];
        c.item.scrollIntoView({ block: "start", behavior: smxReducedMotion() ? "auto" : "smooth" });
        input.focus({ preventScroll: true });
      });
      return h("li", {}, link);
    });
    return h(
      "div",
      { class: "smx-look-again" },
      h("p", { text: "Take another look at:" }),
      h("ul", { class: "smx-look-again-list" }, links),
    );
  }

  const saved = loadRecord(model);
  if (saved && Array.isArray(saved.answer)) {
    for (const [i, value] of saved.answer.entries()) {
      const input = cards[i] && cards[i].inputs.find((x) => x.value === value);
      if (input) input.checked = true;
    }
    grade(false);
  }
  el.replaceChildren(root);
}

export default { render: safeRender(renderSortThePosts) };
