# The README's commands. Every target sets up .venv first (pinned: pyproject.toml + requirements.lock).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | sha256sum | cut -c1-12)
CORPUS ?= seeds/articles
DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: install run test test-fast lint dev rebuild status eval bench clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip==25.3
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"
	@rm -f $(VENV)/.installed-* && touch $@

run: $(STAMP)  ## materialize every asset once, headless; non-zero exit when a step or blocking check fails
	$(BIN)/python -m orchestration run

rebuild: $(STAMP)  ## rebuild every article from raw (after changing extraction code by hand, or to be sure)
	$(BIN)/python -m orchestration rebuild

status: $(STAMP)
	$(BIN)/python -m orchestration status

test: lint  ## lint, then the whole test suite
	$(BIN)/python -m pytest

test-fast: lint  ## lint, then the suite without spaCy or the browser (well under a minute)
	$(BIN)/python -m pytest -q -m "not spacy and not browser"

lint: $(STAMP)  ## ruff (errors, bugbear, security) on the Python, sqlfluff (DuckDB dialect) on sql/
	$(BIN)/ruff check .
	$(BIN)/sqlfluff lint sql/

dev: $(STAMP)  ## the Dagster UI on 127.0.0.1:3000 with a persistent DAGSTER_HOME
	@mkdir -p $(DAGSTER_HOME)
	@cp dagster.yaml $(DAGSTER_HOME)/dagster.yaml
	DAGSTER_HOME=$(DAGSTER_HOME) $(BIN)/dagster dev -h 127.0.0.1 -p $${DAGSTER_PORT:-3000} -w workspace.yaml

eval: $(STAMP)  ## precision/recall of figures, dates, titles, boilerplate against eval/gold
	$(BIN)/python eval/evaluate.py

bench: $(STAMP)  ## throughput and memory: make bench CORPUS=../shared/corpora/bbc
	$(BIN)/python bench/benchmark.py $(CORPUS)

clean:
	rm -rf data/.work data/warehouse.duckdb data/report.html
