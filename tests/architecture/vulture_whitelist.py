"""Names vulture (the dead-code finder, ``make lint``) cannot see used, each with who uses it.

Vulture reads only the Python of the packages and benchmarks (``[tool.vulture]`` in
pyproject.toml). What is called by name from elsewhere (a framework hook, a config file, a book
page, a notebook, generated code) is listed here, so that anything else it reports is dead and
gets removed. Add a name only with the reason; a name that stops being used must leave.
Vulture matches by name, so each line just names the thing.
"""

# ruff: noqa: B018 (each line names something for vulture; it is never run)

from autograder.grading import checks, feedback, nbgrader_plugins
from autograder.judge import corpus_data, posts, rules
from coursebook import chapter, collector, figures, mime_render, outline, post_card
from exercises import widgets
from lms import crawler

_: object = None  # stands for an object of another library

# ---------------------------------------------------------------- called by name by frameworks
checks.CheckNotPassed._render_traceback_  # IPython renders an exception with this hook
figures.Figure._repr_html_  # IPython's display protocol
outline.OutcomeMap._repr_html_
collector.CourseCollector.clear_doc  # Sphinx's EnvironmentCollector hooks
collector.CourseCollector.merge_other
collector.CourseCollector.process_doc
mime_render.WidgetViewRenderer  # the myst_nb.mime_renderers entry point (pyproject.toml)
mime_render.WidgetViewRenderer.mime_priority_overrides
mime_render.WidgetViewRenderer.handle_mime
post_card.PostDirective.has_content  # docutils' directive API
post_card.PostDirective.option_spec
crawler._References.handle_starttag  # html.parser.HTMLParser hooks
crawler._References.handle_endtag
crawler._References.handle_data
widgets.MultipleChoice._esm  # anywidget's traits: the front end and its styles (each type)
widgets.MultipleChoice._css
widgets.JudgeExercise.judge_source  # synced traits, read by the front end (judge_bridge.js)
widgets.JudgeExercise.judge_rules
_.flavor  # fontTools.subset.Options, set by attribute (coursebook/page_weight.py)
_.layout_features
_.notdef_outline
_.isolation_level  # sqlite3.Connection, set by attribute (autograder/grading/parallel.py)
_.compress_type  # zipfile.ZipInfo, set by attribute (downloads, lms_export, lms.package)
_.external_attr
_.log_message  # http.server hooks (benchmarks/site_performance.py)
_.daemon_threads
_.block_on_close

# ---------------------------------------------------------------- named in nbgrader's config
# autograder/grading/course/nbgrader_config.py names these as strings (vulture skips *_config.py:
# a traitlets config file is nothing but settings read by name).
nbgrader_plugins.VerifyOutsideKernel
nbgrader_plugins.MarkForHumanCheck
nbgrader_plugins.LimitOutputSize
nbgrader_plugins.RestoreHiddenTests
nbgrader_plugins.KeepManualGrades
nbgrader_plugins.StartClock
nbgrader_plugins.StopClock
_.preprocess  # nbconvert's Preprocessor hook, on each of them and on StudentFeedback
feedback.StudentFeedback
feedback.StudentFeedback.display_data_priority
feedback.TEMPLATE_NAME
feedback.TEMPLATE_DIRS

# ---------------------------------------------------------------- called from notebooks and pages
# The graded assignments' checks (autograder/grading/course/notebooks/*.md).
checks.assert_follows_template
checks.assert_not_the_example
checks.assert_statements_differ
checks.assert_different_audiences
checks.assert_no_risk
checks.assert_changed
checks.assert_judged_ok
checks.assert_keeps_purpose
# The book's chapters (book/*.md code cells).
chapter.Chapter.show
figures.chart
outline.outcome_map
# For notebook users of a widget (JupyterLab): whether the learner finished it.
widgets.Exercise.completed

# ---------------------------------------------------------------- other callers
# The generated course_check.py (autograder/grading/bundle.py writes the call).
posts.use_compiled_rules
# Kept on purpose: how the corpus was split once (December 2026), so the split can be checked.
corpus_data.split_batches
# The compiled rules' typed shape: keys read by ["..."] in Python and by name in judge.mjs.
rules.CompiledRule.unless_near
rules.CompiledRule.unless_window
rules.CompiledNegation.skip
rules.CompiledStatements.max_words
rules.CompiledStatements.near_identical_percent
rules.CompiledStatements.vague_words
rules.CompiledStatements.stopwords
rules.CompiledStatements.placeholder_marks
rules.CompiledStatements.placeholder_words
rules.CompiledPurpose.salad_min_words
rules.CompiledPurpose.salad_function_share
rules.CompiledPurpose.salad_distinct_share
rules.CompiledPurpose.min_related
rules.CompiledRules.account_labels
rules.CompiledRules.verdict_labels
