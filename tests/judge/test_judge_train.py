"""How training chooses each category's threshold and veto (``train.choose_cutoffs``), on small
hand-made tuning sets whose best answer can be worked out by hand."""

from __future__ import annotations

import pytest

from autograder.judge import train as T
from autograder.judge.corpus_data import Post

CAT = "negative_about_person"  # a "risk" on a professional account


def post(n: int, verdict: str, labelled: bool) -> Post:
    return Post(f"p{n}", "professional", f"post {n}", verdict, (CAT,) if labelled else ())


def tuning_set(fired: list[tuple[int, bool]], missed: list[int] = ()):
    """Posts where the rule fired (score, is it a true finding?) and risky posts it missed
    (score): the posts, their scores and the rules' severities, as training passes them."""
    posts, scores, sev = [], [], []
    for n, (score, true) in enumerate(fired):
        posts.append(post(n, "do_not_post" if true else "ok", true))
        scores.append({CAT: score})
        sev.append({CAT: "risk"})
    for n, score in enumerate(missed, start=len(posts)):
        posts.append(post(n, "do_not_post", True))
        scores.append({CAT: score})
        sev.append({})
    return posts, scores, sev


@pytest.fixture(scope="module")
def rules():
    return T.rules_only()


# Two false alarms score below the one low true finding and one above it; twenty true findings
# score high. Vetoing at -99 puts two verdicts right and drops nothing; vetoing at -97 puts three
# right but drops the true finding at -98 (one verdict wrong, and its explanation lost).
LOW_TRUE = [(-100, False), (-99, False), (-98, True), (-97, False)] + [(100, True)] * 20


def test_without_a_cost_for_dropped_findings_the_veto_takes_the_true_one_too(rules):
    posts, scores, sev = tuning_set(LOW_TRUE)
    _, veto = T.choose_cutoffs(rules, posts, scores, sev, drop_cost=0)
    assert veto == {CAT: -97}


def test_a_veto_does_not_drop_a_true_finding_for_a_few_false_alarms(rules):
    posts, scores, sev = tuning_set(LOW_TRUE)
    _, veto = T.choose_cutoffs(rules, posts, scores, sev)  # the shipped DROP_COST
    assert T.DROP_COST >= 1
    assert veto == {CAT: -99}
    dropped = [p for p, s in zip(posts, scores, strict=True) if s[CAT] <= veto[CAT]]
    assert [p.verdict for p in dropped] == ["ok", "ok"]  # only false alarms


def test_no_veto_when_the_rule_is_never_wrong(rules):
    posts, scores, sev = tuning_set([(-50, True), (0, True), (50, True)])
    _, veto = T.choose_cutoffs(rules, posts, scores, sev)
    assert veto == {}


def test_the_threshold_adds_what_the_rules_missed_and_nothing_clean(rules):
    # risky posts the rules missed score 10 and up; a clean post where nothing fired scores 5
    posts, scores, sev = tuning_set([(100, True)], missed=[10, 20, 30])
    posts.append(Post("clean", "professional", "clean", "ok", ()))
    scores.append({CAT: 5})
    sev.append({})
    threshold, _ = T.choose_cutoffs(rules, posts, scores, sev)
    assert 5 < threshold[CAT] <= 10
    got = [
        T._verdict(p, s_, sc, threshold, {}, rules.category_severity)
        for p, s_, sc in zip(posts, sev, scores, strict=True)
    ]
    assert got == [p.verdict for p in posts]


def test_resampled_cutoffs_agree_with_one_choice_where_the_answer_is_clear(rules):
    # five copies of each post: nearly every resample still holds the low true finding
    posts, scores, sev = tuning_set(LOW_TRUE * 5, missed=[10, 20, 30] * 5)
    one = T.choose_cutoffs(rules, posts, scores, sev)
    assert one[1] == {CAT: -99}
    many = T.resampled_cutoffs(rules, posts, scores, sev, resamples=15)
    assert many[1] == one[1]
    assert many[0][CAT] <= 10  # the missed risky posts are still added
    assert T.resampled_cutoffs(rules, posts, scores, sev, resamples=15) == many  # seeded
    assert T.resampled_cutoffs(rules, posts, scores, sev, resamples=1) == one


@pytest.mark.parametrize(
    ("vetoes", "kept"),
    [
        ([-10, -20, None, None, None], {}),  # two resamples of five want a veto: none
        ([-10, -20, -30, None, None], {CAT: -30}),  # three do: the median, a missing one lowest
        ([-10, -20, -30, -40, -50], {CAT: -30}),
    ],
)
def test_each_cut_off_is_the_median_of_the_resamples_choices(rules, monkeypatch, vetoes, kept):
    posts, scores, sev = tuning_set(LOW_TRUE)
    script = iter(zip([5, 1, 4, 2, 3], vetoes, strict=True))

    def scripted(*_args, **_kwargs):
        threshold, veto = next(script)
        return {CAT: threshold}, ({} if veto is None else {CAT: veto})

    monkeypatch.setattr(T, "choose_cutoffs", scripted)
    assert T.resampled_cutoffs(rules, posts, scores, sev, resamples=5) == ({CAT: 3}, kept)
