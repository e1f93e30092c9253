# Feria: `make run` starts the site, `make test` runs every check. Both set themselves up from nothing.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.PHONY: run test install migrate messages messages-extract bench lint clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet ".[test]"
	touch $(STAMP)

install: $(STAMP)

messages: install
	$(MANAGE) compile_translations

# Refresh locale/*/LC_MESSAGES/django.po from the code and templates (needs GNU gettext: apt install gettext).
# The .po files are committed; the .mo files are compiled by `make messages` and never committed.
MESSAGES_IGNORE := --ignore=.venv --ignore=node_modules --ignore=tests --ignore=build --ignore=staticfiles \
	--ignore=media --ignore=bench
messages-extract: install
	$(MANAGE) makemessages -l es -l fr -l pt --add-location=file $(MESSAGES_IGNORE)

migrate: install
	$(MANAGE) migrate --noinput

run: install messages migrate
	$(MANAGE) seed_demo
	$(MANAGE) run_site

test: install messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install messages
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) db.sqlite3* media
