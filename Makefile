# SellerPulse — thin wrappers around the README's commands.
#   make demo   set up, write the demo data, run the latest demo week, print where the PDFs are
#   make test   set up and run the whole test suite (two workers)
#   make crash  the crash test with many kills (CRASH_RUNS=30)
#   make dev    the Dagster UI (asset graph, weekly partitions, checks)
#   make lint   ruff
#   make bench  the benchmark (SCALE=S|M|L|XL; XS tries XL's path on a toy home)
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMPS := .stamps
SCALE ?= S
CRASH_RUNS ?= 30
export DAGSTER_HOME := $(CURDIR)
export SELLERPULSE_HOME ?= $(CURDIR)/data
# Debian packages the PDF renderer needs: Pango (WeasyPrint), HarfBuzz subsetting, and fonts:
# DejaVu for Latin text, Noto Sans CJK (Regular and Bold, Chinese and Japanese faces) for
# Chinese and Japanese packs; the PostgreSQL server the tests start for the team
# deployment (docs/team-deployment.md); and Poppler's pdftotext, with which the tests measure
# where text sits on a pack's pages. Installed once; nothing is fetched at run time.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
	fonts-noto-cjk postgresql poppler-utils

.PHONY: help install demo test crash dev lint bench clean
help:
	@sed -n 's/^#   //p' Makefile

# checked again whenever this file changes (a package added to the list gets installed)
$(STAMPS)/system: Makefile
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages: $$missing"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/venv: pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	@mkdir -p $(STAMPS) && touch $@

install: $(STAMPS)/system $(STAMPS)/venv

demo: install
	$(BIN)/sellerpulse demo --run

test: install
	$(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder

crash: install
	SELLERPULSE_CRASH_RUNS=$(CRASH_RUNS) $(BIN)/python -m pytest -p no:xdist tests/integration/test_crash.py

dev: install
	$(BIN)/dagster dev -m pipelines.definitions

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install
	$(BIN)/python -m bench.run --scale $(SCALE)

clean:
	rm -rf $(STAMPS) .dagster history schedules storage logs data/inbox data/archive data/reports data/outbox data/warehouse.duckdb
