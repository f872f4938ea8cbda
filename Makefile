# commsdesk: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app commsdesk
export COMMSDESK_ENV ?= development
# make run PORT=8080: where gunicorn listens; links in emails follow unless COMMSDESK_BASE_URL is set.
PORT ?= 5000
BASE_URL := $(or $(COMMSDESK_BASE_URL),http://127.0.0.1:$(PORT))

.PHONY: run test chromium bench install install-dev translations messages lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed translations
install-dev: $(VENV)/.installed-dev translations

# Compiled catalogues are remade only when their .po changed (two test runs side by side
# never rewrite a catalogue the other is reading).
CATALOGS := $(patsubst %.po,%.mo,$(wildcard commsdesk/translations/*/LC_MESSAGES/messages.po))
translations: $(CATALOGS)

commsdesk/translations/%/LC_MESSAGES/messages.mo: commsdesk/translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel -q compile --use-fuzzy -d commsdesk/translations -l $*

# After changing user-visible text: extract it and merge into the catalogues, then translate.
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k _p:1c,2 -k lazy_pgettext:1c,2 -o commsdesk/translations/messages.pot . >/dev/null
	$(BIN)/pybabel update -N -i commsdesk/translations/messages.pot -d commsdesk/translations

# gunicorn and the worker, each its own process (the Procfile, through honcho); Ctrl-C stops both.
# Every step sees the base URL: the demo data queues emails whose links must follow the port.
run: install
	COMMSDESK_BASE_URL="$(BASE_URL)" $(FLASK) db upgrade
	COMMSDESK_BASE_URL="$(BASE_URL)" $(FLASK) demo --if-empty
	@echo "commsdesk on $(BASE_URL)/ (gunicorn and the worker); Ctrl-C stops both."
	PATH="$(CURDIR)/$(BIN):$$PATH" BIND_HOST=127.0.0.1 COMMSDESK_BASE_URL="$(BASE_URL)" \
	  PYTHONUNBUFFERED=1 $(BIN)/honcho start --port $(PORT)

# The browser tests drive Debian's chromium: installed here when missing, or a line saying how.
chromium:
	@.ci/chromium

test: chromium install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install-dev
	$(BIN)/python -m bench

lint: install-dev
	$(BIN)/ruff check commsdesk tests bench

clean:
	rm -rf $(VENV) instance .pytest_cache
