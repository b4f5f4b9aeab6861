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

run: setup
	$(BIN)/duban parse $(SEEDS)/* --format tree

test: setup system-deps
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

bench: setup
	$(BIN)/python bench/parse.py $(SEEDS)
