# Two entry points: `make book` builds the site, `make test` runs every test.

# Python keeps the bytecode of what it imports, as it does by default: uv installs without
# compiling, and an environment that forbids writing it would recompile every module in every
# process (about 5 s per process for the build's imports).
unexport PYTHONDONTWRITEBYTECODE
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: book test test-fast pdf lint check lock bench bench-grid bench-engine lighthouse clean

book: $(STAMP)
	$(BIN)/aibet build

# The book is built (the browser tests read it) while the code is linted, then every test runs.
test: $(STAMP)
	scripts/ensure-chromium.sh
	$(MAKE) --no-print-directory -j2 book lint
	$(BIN)/pytest -q --durations=15 -n auto --dist loadgroup

# The edit loop, in seconds: the rubric, the evidence's date rule, the engine and the models on
# hand-made data, the parameters, and the data check. `make test` runs everything.
FAST_TESTS := tests/test_rubric.py tests/test_evidence.py tests/test_engine.py tests/test_models.py \
	tests/test_params.py tests/test_financing.py tests/test_history.py tests/test_local.py \
	tests/test_revenue.py tests/test_chains.py tests/test_story.py \
	"tests/test_data.py::test_the_data_package_is_valid" \
	"tests/test_data.py::test_every_figure_names_a_source_a_locator_and_a_date"

test-fast: $(STAMP)
	$(BIN)/pytest -q $(FAST_TESTS)

pdf: book
	scripts/ensure-chromium.sh
	$(BIN)/aibet pdf

check: $(STAMP)
	$(BIN)/aibet check

# After reviewing `aibet diff`: accept the new verdicts and values into ledger.lock.json.
lock: $(STAMP)
	$(BIN)/aibet lock

lint: $(STAMP)
	$(BIN)/lint-imports && $(BIN)/ruff check src tests scripts && $(BIN)/ruff format --check src tests scripts

# The environment in seconds: a bare venv, uv bootstrapped into it from its hash-checked lock by
# the system's pip, then every package of requirements.lock installed by uv, hashes checked.
UV := $(VENV)/bootstrap/bin/uv
# cffconvert (which validates CITATION.cff) needs jsonschema 3, the book 4: it gets its own folder.
$(STAMP): requirements.lock requirements-uv.lock requirements-cff.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip install -qq --disable-pip-version-check --root-user-action=ignore \
		--require-hashes --no-deps --upgrade --target $(VENV)/bootstrap -r requirements-uv.lock
	$(UV) pip sync -q --require-hashes --python $(BIN)/python requirements.lock
	$(UV) pip install -q --no-deps --no-build-isolation --python $(BIN)/python -e .
	rm -rf $(VENV)/cffconvert
	$(UV) pip install -q --require-hashes --no-deps --python $(BIN)/python \
		--target $(VENV)/cffconvert -r requirements-cff.lock
	touch $(STAMP)

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

bench-grid: $(STAMP)
	$(BIN)/python scripts/bench_grid.py

bench-engine: $(STAMP)
	$(BIN)/python scripts/bench_engine.py

# Lighthouse (mobile) on the front page and every chapter, served compressed: a benchmark.
lighthouse: $(STAMP)
	scripts/ensure-chromium.sh
	$(BIN)/python scripts/lighthouse.py

clean:
	rm -rf _build book/_generated
