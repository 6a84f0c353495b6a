# Briefing-pack builder. `make pdf` on a fresh clone sets everything up and builds.
# Outputs go to build/; each target rebuilds only when its inputs changed.

PYTHON  ?= python3
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
OUT     ?= build
DIST    ?= dist
CONTENT := content
NAME    := $(shell sed -n 's/^name: *\([a-z0-9-]*\).*/\1/p' $(CONTENT)/publication.yaml)
LANGS   := $(shell sed -n 's/^  - code: *\([a-z]*\).*/\1/p' $(CONTENT)/publication.yaml)
EDITIONS := $(NAME) $(addprefix $(NAME)-,$(LANGS))
# Strict by default: a missing translation fails the build. `make pdf DRAFT=1` shows the
# text in another language instead, marked [xx], for proofs.
FLAGS   := $(if $(DRAFT),--draft)
# `make -j2` also lets the PDF run make its three editions two at a time (plain `-j`: one at a time).
JOBS     = $(or $(patsubst -j%,%,$(filter -j%,$(MAKEFLAGS))),1)
# Page size of the PDF editions and the press PDF: a4 (default) or a5. The booklet is always A5.
PAPER   ?= a4
PAPER_STAMP := $(OUT)/.paper-$(PAPER)

CODE      := build.py $(wildcard briefing/*.py)
CONTENT_F := $(wildcard $(CONTENT)/*.yaml)
TEMPLATES := $(shell find templates -name '*.html')
CATALOGS  := $(wildcard locale/*/LC_MESSAGES/*.po)
COMMON    := $(STAMP) $(CODE) $(CONTENT_F) $(TEMPLATES) $(CATALOGS)

PDFS  := $(EDITIONS:%=$(OUT)/%.pdf)
PRESS   := $(OUT)/$(NAME)-print.pdf
BOOKLET := $(OUT)/$(NAME)-booklet.pdf
FONTS   := $(wildcard styles/fonts/*)
EPUBS := $(EDITIONS:%=$(OUT)/%.epub)
HTMLS := $(EDITIONS:%=$(OUT)/%.html)

.PHONY: all pdf epub html print booklet preview pack bench test check clean distclean setup \
	i18n-extract i18n-update i18n-report

all: pdf epub html print booklet preview pack
pdf: $(PDFS)
epub: $(EPUBS)
html: $(HTMLS)
print: $(PRESS)
booklet: $(BOOKLET)

# One builder run makes every edition of a format (it shares fonts between them).
$(PDFS) &: $(COMMON) styles/base.css styles/print.css styles/a5.css $(FONTS) $(PAPER_STAMP)
	$(PY) build.py pdf --jobs $(JOBS) $(FLAGS) --paper $(PAPER) --content $(CONTENT) --out $(OUT)

$(PRESS): $(COMMON) styles/base.css styles/print.css styles/a5.css styles/press.css $(FONTS) $(PAPER_STAMP)
	$(PY) build.py print $(FLAGS) --paper $(PAPER) --content $(CONTENT) --out $(OUT)

$(BOOKLET): $(COMMON) styles/base.css styles/print.css styles/a5.css $(FONTS)
	$(PY) build.py booklet $(FLAGS) --content $(CONTENT) --out $(OUT)

# A changed PAPER must rebuild the PDFs even though no source file changed.
$(PAPER_STAMP):
	@mkdir -p $(OUT) && rm -f $(OUT)/.paper-* && touch $@

# PNG pages and a contact sheet per PDF, in build/preview/ (redone only when a PDF changed).
PREVIEW := $(OUT)/preview/.done
preview: $(PREVIEW)
$(PREVIEW): $(PDFS) $(PRESS) $(BOOKLET)
	$(PY) build.py preview -q --content $(CONTENT) --out $(OUT)
	@touch $@

# dist/<name>.zip: every edition, the press PDF and the booklet, SHA256SUMS and a README.
PACK := $(DIST)/$(NAME).zip
pack: $(PACK)
$(PACK): $(PDFS) $(EPUBS) $(PRESS) $(BOOKLET) templates/pack-readme.txt $(CATALOGS)
	$(PY) build.py pack --content $(CONTENT) --out $(OUT) --dist $(DIST)

# The side-by-side benchmark (bench/README.md); benchmark-only dependencies are installed here.
bench: $(STAMP)
	$(VENV)/bin/pip install --quiet -e '.[bench]'
	$(PY) bench/bench.py

# The cover image is the print cover: print.css and the fonts feed the EPUBs too.
$(EPUBS) &: $(COMMON) styles/base.css styles/epub.css styles/print.css $(FONTS)
	$(PY) build.py epub $(FLAGS) --content $(CONTENT) --out $(OUT)

$(HTMLS) &: $(COMMON)
	$(PY) build.py html $(FLAGS) --content $(CONTENT) --out $(OUT)

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

test: $(STAMP)
	$(PY) -m pytest

# EPUBCheck on the built EPUBs, one readable line per message (also part of `make test`).
check: $(EPUBS)
	$(PY) build.py check --content $(CONTENT) --out $(OUT)

# Translation status per language: a table, and build/i18n-report.json.
i18n-report: $(STAMP)
	$(PY) build.py i18n-report -q --content $(CONTENT) --json $(OUT)/i18n-report.json

i18n-extract: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k _ -o locale/messages.pot --no-location --sort-output \
		--project "IOM Viet Nam briefing pack" --version 1 --copyright-holder "the editorial team" .

i18n-update: i18n-extract
	$(VENV)/bin/pybabel update -i locale/messages.pot -d locale --no-wrap

clean:
	rm -rf $(OUT) $(DIST) .pytest_cache

distclean: clean
	rm -rf $(VENV) *.egg-info
