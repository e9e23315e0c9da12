// statement_sentence.js: the sentence a positioning statement's three parts make. Shared by the
// statement builder and the presence plan, which shows the learner's statements again; put
// ahead of their modules by exercises/widgets.py.

function statementSentence(parts) {
  const role = (parts.role || "").trim();
  const field = (parts.field || "").trim();
  const audience = (parts.audience || "").trim().replace(/[.!]+$/, "");
  const article = /^(a|an)\s/i.test(role) ? "" : /^[aeiou]/i.test(role) ? "an " : "a ";
  return `I am ${article}${role || "___"} in ${field || "___"} for ${audience || "___"}.`;
}
