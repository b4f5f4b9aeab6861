# duban: `make run` runs the main job, `make test` sets up and runs every test.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SEEDS ?= ../shared/seeds

.PHONY: run test lint bench setup system-deps

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

test: setup system-deps
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

bench: setup
	$(BIN)/python bench/parse.py $(SEEDS)
	$(BIN)/python bench/sheet.py
