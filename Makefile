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

# Until the web app exists: show the parsed seed plans, then store them in the embedded
# SQLite ledger (importing again changes nothing) and list what is stored.
run: setup
	$(BIN)/duban parse $(SEEDS)/* --format tree
	$(BIN)/duban import $(SEEDS)/*
	$(BIN)/duban plans

test: setup system-deps
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

bench: setup
	$(BIN)/python bench/parse.py $(SEEDS)
