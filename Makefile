# Briefing-pack builder. `make pdf` on a fresh clone sets everything up and builds.
# Outputs go to build/; each target rebuilds only when its inputs changed.

PYTHON  ?= python3
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
OUT     ?= build
DIST    ?= dist
CONTENT := content
# Every publication is a folder content/<folder>/ with a publication.yaml; `make pdf PUB=<folder>`
# builds one of them, plain `make pdf` all of them.
PUBS    := $(if $(PUB),$(PUB),$(notdir $(patsubst %/,%,$(dir $(wildcard $(CONTENT)/*/publication.yaml)))))
ifeq ($(filter new,$(MAKECMDGOALS)),)
ifneq ($(PUB),)
ifeq ($(wildcard $(CONTENT)/$(PUB)/publication.yaml),)
$(error no publication $(CONTENT)/$(PUB)/publication.yaml; the publications are: $(notdir $(patsubst %/,%,$(dir $(wildcard $(CONTENT)/*/publication.yaml)))))
endif
endif
endif
CONTENT_ARG := $(if $(PUB),$(CONTENT)/$(PUB),$(CONTENT))
# Strict by default: a missing translation fails the build. `make pdf DRAFT=1` shows the
# text in another language instead, marked [xx], for proofs.
FLAGS   := $(if $(DRAFT),--draft)
# `make -j2` also lets the PDF run make its editions two at a time (plain `-j`: one at a time).
JOBS     = $(or $(patsubst -j%,%,$(filter -j%,$(MAKEFLAGS))),1)
# Page size of a brochure's PDF editions and press PDF: a4 (default) or a5. The booklet is always
# A5, and a fact sheet always A4.
PAPER   ?= a4
PAPER_STAMP := $(OUT)/.paper-$(PAPER)
TOOLS   := tests/tools/node_modules/.installed

CODE      := build.py $(wildcard briefing/*.py briefing/*/*.py)
TEMPLATES := $(shell find templates -name '*.html')
CATALOGS  := $(wildcard locale/*/LC_MESSAGES/*.po)
COMMON    := $(STAMP) $(CODE) $(TEMPLATES) $(CATALOGS)
FONTS     := $(wildcard styles/fonts/*)
PRINT_CSS := styles/base.css styles/print.css styles/a5.css styles/fact-sheet.css styles/paper.css $(FONTS)

.PHONY: all pdf epub html print booklet preview pack bench test check tools clean distclean setup new reference \
	i18n-extract i18n-update i18n-report

# The rules of one publication; $(1) is its folder name. Its outputs are named by the `name:` of its
# manifest, and depend on every file in its folder, so an edit rebuilds that publication only.
# One builder run makes every edition of a format (it shares fonts between them).
define PUBLICATION
$(1).dir      := $(CONTENT)/$(1)
$(1).name     := $$(shell sed -n 's/^name: *\([a-z0-9-]*\).*/\1/p' $(CONTENT)/$(1)/publication.yaml)
$(1).langs    := $$(shell sed -n 's/^  - code: *\([a-z]*\).*/\1/p' $(CONTENT)/$(1)/publication.yaml)
$(1).format   := $$(or $$(shell sed -n 's/^format: *\([a-z-]*\).*/\1/p' $(CONTENT)/$(1)/publication.yaml),brochure)
# The multilingual layouts after the first (`layouts: [columns, facing, flip]`, on one line): each
# is one more PDF edition, press PDF and booklet; EPUBs have no layouts.
$(1).layouts  := $$(if $$(word 2,$$($(1).langs)),$$(wordlist 2,9,$$(shell sed -n 's/^layouts: *\[\([a-z, ]*\)\].*/\1/p' $(CONTENT)/$(1)/publication.yaml | tr ',' ' ')))
$(1).editions := $$(if $$(word 2,$$($(1).langs)),$$($(1).name)) $$(addprefix $$($(1).name)-,$$($(1).langs))
$(1).variants := $$($(1).name) $$(addprefix $$($(1).name)-,$$($(1).layouts))
$(1).files    := $$(shell find $(CONTENT)/$(1) -type f)
$(1).pdfs     := $$($(1).editions:%=$(OUT)/%.pdf) $$(addprefix $(OUT)/$$($(1).name)-,$$($(1).layouts:=.pdf))
$(1).epubs    := $$($(1).editions:%=$(OUT)/%.epub)
$(1).htmls    := $$($(1).editions:%=$(OUT)/%.html)
$(1).press    := $$($(1).variants:%=$(OUT)/%-print.pdf)
$(1).booklet  := $$(if $$(filter brochure,$$($(1).format)),$$($(1).variants:%=$(OUT)/%-booklet.pdf))
$(1).preview  := $(OUT)/preview/.$$($(1).name).done
$(1).pack     := $(DIST)/$$($(1).name).zip

$$($(1).pdfs) &: $$(COMMON) $$($(1).files) $$(PRINT_CSS) $$(PAPER_STAMP)
	$$(PY) build.py pdf --jobs $$(JOBS) $$(FLAGS) --paper $$(PAPER) --content $(CONTENT)/$(1) --out $$(OUT)

$$($(1).press) &: $$(COMMON) $$($(1).files) $$(PRINT_CSS) styles/press.css styles/color/CoatedFOGRA39.icc $$(PAPER_STAMP)
	$$(PY) build.py print $$(FLAGS) --paper $$(PAPER) --content $(CONTENT)/$(1) --out $$(OUT)

ifneq ($$($(1).booklet),)
$$($(1).booklet) &: $$(COMMON) $$($(1).files) $$(PRINT_CSS)
	$$(PY) build.py booklet $$(FLAGS) --content $(CONTENT)/$(1) --out $$(OUT)
endif

# The cover image is the print cover: print.css and the fonts feed the EPUBs too.
$$($(1).epubs) &: $$(COMMON) $$($(1).files) styles/base.css styles/epub.css styles/print.css $$(FONTS)
	$$(PY) build.py epub $$(FLAGS) --content $(CONTENT)/$(1) --out $$(OUT)

$$($(1).htmls) &: $$(COMMON) $$($(1).files)
	$$(PY) build.py html $$(FLAGS) --content $(CONTENT)/$(1) --out $$(OUT)

# PNG pages and a contact sheet per PDF, in build/preview/ (redone only when a PDF changed).
$$($(1).preview): $$($(1).pdfs) $$($(1).press) $$($(1).booklet)
	$$(PY) build.py preview -q --content $(CONTENT)/$(1) --out $$(OUT)
	@touch $$@

# dist/<name>.zip: every edition, the press PDF and the booklet, SHA256SUMS and a README.
$$($(1).pack): $$($(1).pdfs) $$($(1).epubs) $$($(1).press) $$($(1).booklet) templates/pack-readme.txt $$(CATALOGS)
	$$(PY) build.py pack --content $(CONTENT)/$(1) --out $$(OUT) --dist $$(DIST)
endef
$(foreach pub,$(PUBS),$(eval $(call PUBLICATION,$(pub))))
each = $(foreach pub,$(PUBS),$($(pub).$(1)))

all: pdf epub html print booklet preview pack
pdf: $(call each,pdfs)
epub: $(call each,epubs)
html: $(call each,htmls)
print: $(call each,press)
booklet: $(call each,booklet)
preview: $(call each,preview)
pack: $(call each,pack)

# A changed PAPER must rebuild the PDFs even though no source file changed.
$(PAPER_STAMP):
	@mkdir -p $(OUT) && rm -f $(OUT)/.paper-* && touch $@

# `make new PUB=<folder>`: a starter publication in content/<folder>/, one section of each kind.
new: $(STAMP)
	@test -n "$(PUB)" || { echo "usage: make new PUB=<folder name> [LANGUAGES=vi,en]" >&2; exit 2; }
	$(PY) build.py new $(CONTENT)/$(PUB) --languages $(or $(LANGUAGES),vi$(comma)en)

comma := ,

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
tools: $(TOOLS)
$(TOOLS): tests/tools/package.json tests/tools/package-lock.json
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; } || \
		echo "note: Debian's chromium is not installed; DAISY Ace cannot run"
	@command -v npm >/dev/null && cd tests/tools && ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 \
		npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed || \
		echo "note: npm could not install DAISY Ace (tests/tools); the tests that need it are skipped"

# EPUBCheck on the built EPUBs and veraPDF on the built PDFs (under every standard each claims),
# one readable line per failed rule; also part of `make test`. veraPDF is looked for in
# ../shared/verapdf/ or at $VERAPDF (see README.md).
check: epub pdf print booklet
	$(PY) build.py check --content $(CONTENT_ARG) --out $(OUT)

# Translation status per language and publication: a table, and build/<name>-i18n-report.json.
i18n-report: $(STAMP)
	@$(foreach pub,$(PUBS),$(PY) build.py i18n-report -q --content $(CONTENT)/$(pub) \
		--json $(OUT)/$($(pub).name)-i18n-report.json &&) true

i18n-extract: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k _ -o locale/messages.pot --no-location --sort-output \
		--project "IOM Viet Nam briefing pack" --version 1 --copyright-holder "the editorial team" .

i18n-update: i18n-extract
	$(VENV)/bin/pybabel update -i locale/messages.pot -d locale --no-wrap

clean:
	rm -rf $(OUT) $(DIST) .pytest_cache

distclean: clean
	rm -rf $(VENV) *.egg-info

# content/README.md: the content reference, generated from the schemas (a test checks it is current).
reference: $(STAMP)
	$(PY) build.py reference > content/README.md.tmp && mv content/README.md.tmp content/README.md
