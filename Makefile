# duban: `make run` runs the main job, `make test` sets up and runs every test.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SEEDS ?= ../shared/seeds

.PHONY: run demo test lint bench setup system-deps

$(BIN)/duban: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

setup: $(BIN)/duban

system-deps:
	bash scripts/system-deps.sh

# The main job: store the seed plans in the embedded SQLite ledger (importing again changes
# nothing), create the admin account once (password printed once, or DUBAN_ADMIN_PASSWORD),
# and serve the web app on http://127.0.0.1:8000.
HOST ?= 127.0.0.1
PORT ?= 8000
run: setup
	$(BIN)/duban import $(SEEDS)/*
	$(BIN)/duban init-admin
	$(BIN)/duban serve --host $(HOST) --port $(PORT)

# A living demo year on the seed plans, in its own database (DEMO_DB), so the ledger of `make run`
# stays as it was: units, one account per role and unit (passwords printed once), 交办, three
# monthly reports, 催办, 延期, 销号. Running it again changes nothing.
DEMO_DB ?= $(CURDIR)/data/demo.sqlite3
demo: setup
	mkdir -p $(dir $(DEMO_DB))
	DUBAN_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/duban import $(SEEDS)/*
	DUBAN_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/duban demo
	DUBAN_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/duban serve --host $(HOST) --port $(PORT)

test: setup system-deps
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

bench: setup
	$(BIN)/python bench/parse.py $(SEEDS)
	$(BIN)/python bench/sheet.py
