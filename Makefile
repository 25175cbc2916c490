# digitrec: `make run` serves the app, `make test` runs every test. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# MNIST: the shared folder when it is there, else the code downloads it into ~/.cache/digitrec.
ifneq ($(wildcard ../shared/mnist),)
export DIGITREC_DATA ?= $(abspath ../shared/mnist)
endif

.PHONY: install install-all system-deps run test lint format train bench eval-set clean

install: $(VENV)/.base

$(VENV)/.base: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

install-all: $(VENV)/.all

$(VENV)/.all: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[train,dev]'
	touch $@ $(VENV)/.base

# Debian packages the tests need: chromium for the browser tests, fonts for the typed-digit situations,
# wrk for the benchmark.
SYSTEM_PACKAGES := chromium fonts-dejavu-core fonts-dejavu-extra fonts-liberation2 fonts-dkg-handwriting fonts-breip fonts-humor-sans fonts-comic-neue fonts-femkeklaver wrk
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

run: install
	$(BIN)/digitrec serve --port $(PORT)

lint: install-all
	$(BIN)/ruff check .

format: install-all
	$(BIN)/ruff format .

test: install-all system-deps
	$(BIN)/ruff check .
	$(BIN)/pytest

train: install-all
	$(BIN)/digitrec train --model default
	$(BIN)/digitrec train --model readme

bench: install-all system-deps
	$(BIN)/python bench/http_bench.py

eval-set: install-all system-deps
	$(BIN)/python bench/situations.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis src/*.egg-info
