# The two commands of the README are the contract: `make book` and `make test`.
# Both set everything up from a fresh clone (Debian, Python 3.11) before they run.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JB_FLAGS ?= -n -W --keep-going
PORT   ?= 8000

export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: book test setup serve lint format pins bench clean judge-model

RULES_JSON := autograder/judge/js/rules.json
FIX_POSTS_JSON := autograder/js/fix-posts.json

STUDENT_ZIPS := $(foreach a,positioning_statements fix_the_posts,\
	autograder/grading/course/book_downloads/$(a).zip)

setup: $(STAMP) $(RULES_JSON) $(FIX_POSTS_JSON) $(STUDENT_ZIPS)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# The judge's rules compiled for the browser and Node engines (generated, not committed).
$(RULES_JSON): autograder/judge/rules.yml autograder/judge/model.json \
		autograder/judge/rules.schema.json autograder/judge/rules.py autograder/judge/tokens.py \
		$(wildcard autograder/judge/lexicons/*) $(STAMP)
	$(BIN)/python -m autograder.judge.export_rules

# The fix-the-post exercises for `node autograder/js/rewrite-cli.mjs` (generated, not committed).
$(FIX_POSTS_JSON): $(wildcard book/*/exercises.yml) \
		autograder/grading/course/notebooks/fix_the_posts.yml $(STAMP)
	$(BIN)/python -m autograder.judge.course_posts

# What a student needs beside an assignment notebook: course_check.py (the formative check and
# its judge in one file, autograder/grading/bundle.py) next to each source notebook, and the
# book's download zips (notebook + course_check.py). Generated, not committed.
$(STUDENT_ZIPS) &: $(wildcard autograder/grading/course/book_downloads/*.ipynb) \
		$(wildcard autograder/judge/*.py autograder/grading/*.py) autograder/judge/rules.yml \
		autograder/judge/model.json $(wildcard autograder/judge/lexicons/*) $(STAMP)
	$(BIN)/python -m autograder.grading.downloads --student-files

## Train the judge's learned layer on autograder/judge/corpus (writes autograder/judge/model.json;
## review the diff like any data file). COMPARE=1 also prints the design comparison.
judge-model: setup
	$(BIN)/python -m autograder.judge.train $(if $(COMPARE),--compare,)
	$(BIN)/python -m autograder.judge.export_rules

## Build the static site into _build/html (warnings are errors).
book: setup
	$(BIN)/jupyter-book build . --builder html $(JB_FLAGS)

## Lint, format check, then the whole test suite (it builds the book itself).
test: setup lint
	$(BIN)/python -m pytest

lint: setup node-tools
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/vulture
	node_modules/.bin/biome lint .
	node_modules/.bin/biome format .

format: setup node-tools
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	node_modules/.bin/biome format --write .

## Preview the built site on http://localhost:$(PORT)/
serve: book
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory _build/html $(PORT)

## Regenerate the exact pins in requirements.txt from requirements.in.
pins: setup
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
		-o requirements.txt requirements.in

bench: book
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf _build

# ---------------------------------------------------------------- nbgrader: graded assignments
# The instructor's pipeline. Each target wraps one nbgrader command, run in autograder/grading/course
# (where nbgrader_config.py lives). Say which assignment with ASSIGNMENT=, for example
#   make autograde ASSIGNMENT=fix_the_posts
# and pass more nbgrader options with NBGRADER_ARGS=, for example
#   make autograde ASSIGNMENT=fix_the_posts NBGRADER_ARGS="--student=12345 --force"
# The guide is book/instructor_grading.md.

NB_COURSE      := autograder/grading/course
NB_ASSIGNMENTS := positioning_statements fix_the_posts
ASSIGNMENT     ?=
NBGRADER_ARGS  ?=
NBGRADER       := cd $(NB_COURSE) && $(CURDIR)/$(BIN)/nbgrader
# The gradebook: nbgrader's SQLite file unless DB_URL= (or NBGRADER_DB_URL in the environment)
# names another database, e.g. DB_URL=postgresql+psycopg2://nbgrader:SECRET@db.example.org/course
ifdef DB_URL
export NBGRADER_DB_URL := $(DB_URL)
endif
nb-assignment   = $(if $(filter $(ASSIGNMENT),$(NB_ASSIGNMENTS)),,$(error Say which assignment: \
	make $@ ASSIGNMENT=positioning_statements or ASSIGNMENT=fix_the_posts))

.PHONY: assignments downloads release release-exchange collect zip-collect autograde \
	feedback release-feedback grades grading due-date class-list feedback-bundle report

## Rebuild the nbgrader source notebooks from autograder/grading/course/notebooks/.
assignments: setup
	$(BIN)/python -m autograder.grading.notebooks

## Refresh the student notebooks the book offers as downloads (commit the .ipynb files).
downloads: assignments
	$(BIN)/python -m autograder.grading.downloads
	$(BIN)/python -m autograder.grading.downloads --student-files

## Make the student version of ASSIGNMENT in autograder/grading/course/release/.
release: setup
	$(nb-assignment)
	$(NBGRADER) generate_assignment $(ASSIGNMENT) --force $(NBGRADER_ARGS)

## JupyterHub: put the student version in the exchange, for students to fetch.
release-exchange: release
	$(NBGRADER) release_assignment $(ASSIGNMENT) --force $(NBGRADER_ARGS)

## JupyterHub: copy the students' submissions from the exchange into submitted/.
collect: setup
	$(nb-assignment)
	$(NBGRADER) collect $(ASSIGNMENT) $(NBGRADER_ARGS)

## LMS: file the downloads placed in downloaded/ASSIGNMENT/archive/ into submitted/ (Canvas,
## Moodle, Blackboard, Brightspace; prints what it filed and what it could not). TIMEZONE= is
## the LMS's time zone for submission times (default UTC).
TIMEZONE ?= UTC
zip-collect: setup
	$(nb-assignment)
	cd $(NB_COURSE) && $(CURDIR)/$(BIN)/python -m autograder.grading.lms_collect $(ASSIGNMENT) \
		--timezone $(TIMEZONE)

## Set ASSIGNMENT's due date, for late penalties: make due-date ASSIGNMENT=... DUE="2026-12-15 17:00"
## (in UTC unless the text says otherwise, for example "2026-12-15 17:00 Europe/London").
DUE ?=
due-date: setup
	$(nb-assignment)
	$(if $(DUE),,$(error Say when: DUE="2026-12-15 17:00"))
	$(NBGRADER) db assignment add $(ASSIGNMENT) --duedate="$(DUE)"

## Load the class list: make class-list FILE=students.csv (columns: id, first_name, last_name,
## email; id is the LMS's student id). Students who never submit then get 0 in the grades.
FILE ?=
class-list: setup
	$(if $(FILE),,$(error Say which file: FILE=students.csv))
	$(NBGRADER) db student import $(abspath $(FILE))

## Grade every new submission of ASSIGNMENT (unknown students join the gradebook), JOBS at a
## time (default: the number of cores), with exactly nbgrader's grades: autograder/grading/parallel.py.
JOBS ?=
autograde: setup
	$(nb-assignment)
	cd $(NB_COURSE) && $(CURDIR)/$(BIN)/python -m autograder.grading.parallel $(ASSIGNMENT) \
		$(if $(JOBS),--jobs=$(JOBS)) --create $(NBGRADER_ARGS)

## Copy the course's SQLite gradebook.db into the empty database DB_URL= (e.g. PostgreSQL).
.PHONY: migrate-gradebook
migrate-gradebook: setup
	$(if $(DB_URL),,$(error Say where to: make migrate-gradebook DB_URL=postgresql+psycopg2://...))
	cd $(NB_COURSE) && $(CURDIR)/$(BIN)/python -m autograder.grading.migrate_gradebook \
		sqlite:///gradebook.db "$(DB_URL)"

## Write one feedback page per student into feedback/ (after manual grading).
feedback: setup
	$(nb-assignment)
	$(NBGRADER) generate_feedback $(ASSIGNMENT) $(NBGRADER_ARGS)

## JupyterHub: return the feedback pages to the students through the exchange.
release-feedback: feedback
	$(NBGRADER) release_feedback $(ASSIGNMENT) $(NBGRADER_ARGS)

## Export the grades: with LMS=canvas|moodle|blackboard|brightspace, the file that LMS's
## gradebook imports (grades-LMS.csv, one row per student); without, nbgrader's grades.csv.
LMS ?=
grades: setup
	$(if $(LMS),cd $(NB_COURSE) && $(CURDIR)/$(BIN)/python -m autograder.grading.lms_export \
		grades $(LMS),$(NBGRADER) export --to grades.csv $(NBGRADER_ARGS))

## Pack ASSIGNMENT's feedback pages for LMS= to take back in bulk (feedback-ASSIGNMENT-LMS.zip).
feedback-bundle: setup
	$(nb-assignment)
	$(if $(LMS),,$(error Say which LMS: LMS=canvas|moodle|blackboard|brightspace))
	cd $(NB_COURSE) && $(CURDIR)/$(BIN)/python -m autograder.grading.lms_export \
		feedback-bundle $(ASSIGNMENT) $(LMS)

## One offline HTML page on how the class did on ASSIGNMENT (report-ASSIGNMENT.html).
report: setup
	$(nb-assignment)
	cd $(NB_COURSE) && $(CURDIR)/$(BIN)/python -m autograder.grading.report $(ASSIGNMENT)

## Open JupyterLab in the course folder for manual grading (menu Nbgrader > Formgrader).
## As root (a container, a VM), JupyterLab needs --allow-root: it is added, with a note.
AS_ROOT := $(filter 0,$(shell id -u))
grading: setup
	$(if $(AS_ROOT),@echo "Running as root: starting JupyterLab with --allow-root. On a shared" \
		"machine, run it as an ordinary user instead.")
	cd $(NB_COURSE) && $(CURDIR)/$(BIN)/jupyter lab --no-browser $(if $(AS_ROOT),--allow-root,)
# ---------------------------------------------------------------- end of nbgrader targets

# ---- LMS packages (SCORM): lms/package.py, tests/lms/ --------------------------
.PHONY: scorm node-tools

## SCORM 1.2 and SCORM 2004 packages and a plain website zip of the built book, in _build/scorm/.
scorm: book
	$(BIN)/python -m lms

## The npm tools pinned in package-lock.json (scorm-again, xmllint-wasm, Biome). The SCORM tests
## also run `npm ci` themselves when node_modules is missing or stale.
node-tools: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@
# ---- end of LMS packages -----------------------------------------------------------------------
