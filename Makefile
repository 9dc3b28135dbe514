# Everything a fresh machine needs: `make demo` and `make test` set up .venv when it is missing.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
DLGRADE := $(BIN)/dlgrade
LABS    := $(notdir $(wildcard assignments/*))
# The README's quick start names the same line: without it `dlgrade` is not on PATH.
ACTIVATE_HINT := echo "run '. $(BIN)/activate' to use dlgrade"

.PHONY: setup demo test validate calibrate release templates bench lint clean

# Redone when anything that says what gets installed changes.
$(BIN)/dlgrade: pyproject.toml Makefile $(wildcard scripts/setup_*.sh)
	# The tests' system tools (chromium): without them `make test` fails naming this step, `make demo` still runs.
	bash scripts/setup_test_tools.sh || echo "test tools incomplete: run 'sudo bash scripts/setup_test_tools.sh'"
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# CPU torch first, pinned: it satisfies the extras' range so nothing pulls a CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[torch,notebooks,dev,otter,report]'
	bash scripts/setup_sandbox.sh || echo "sandbox setup incomplete: see README, 'Grading servers'"
	touch $@

setup: $(BIN)/dlgrade

demo: setup
	$(BIN)/python scripts/demo.py
	@$(ACTIVATE_HINT)

test: setup lint
	$(BIN)/python -m pytest -q tests
	$(MAKE) --no-print-directory validate
	@$(ACTIVATE_HINT)

validate: setup
	$(DLGRADE) validate --jobs 2 $(LABS)

# Long (hours for the torch labs): every training test's runs under Gradescope's budget, into each lab's
# calibration.json, which `make test` (validate) then checks for freshness and bounds. Each grading takes half a
# CPU under that budget: CALIBRATE_JOBS up to twice the free cores.
CALIBRATE_JOBS ?= 2
calibrate: setup
	$(DLGRADE) calibrate --budget gradescope --jobs $(CALIBRATE_JOBS)

release: setup
	@for lab in $(LABS); do $(DLGRADE) release $$lab --out dist/ || exit 1; done

templates: setup
	$(DLGRADE) templates

bench: setup
	$(BIN)/python bench/run.py

# The dependency rule (docs/architecture.md) and the linters' rules, on every `make test`.
lint: setup
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check autograder tests bench scripts assignments

clean:
	rm -rf dist build *.egg-info
