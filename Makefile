# The README's commands. `make run` and `make test` each do all their own set-up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: run next-steps test install install-test system-deps lint verify-quotes check-ids format-graph build bench clean queries-expected sparql-bench diff release

# The runtime (what `make run` needs: about 300 MB, see scripts/venv_size.py) and, on top of it,
# the test extras (what `make test` needs: pytest, playwright, ruff, mypy, notebooks ...).
$(VENV)/.runtime: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.test: $(VENV)/.runtime
	$(BIN)/pip install -q -e '.[test]'
	# indra pins ndex2==2.0.1 (the CX2 export needs ndex2>=3.9): its other needs are in the test extra
	$(BIN)/pip install -q --no-deps 'indra>=1.24' 'protmapper>=0.0.29'
	touch $@

install: $(VENV)/.runtime
install-test: $(VENV)/.test

## run: install (the runtime only), build the graph, write the interactive HTML, answer an example question
run: install
	$(BIN)/iapgraph build -o build
	$(BIN)/iapgraph viz -o build/iapgraph.html
	$(BIN)/iapgraph explain "SMAC mimetic" "non-canonical NF-kB pathway"
	@$(MAKE) --no-print-directory -s next-steps

## next-steps: where the HTML is and three commands to try (printed at the end of `make run`)
next-steps:
	@echo ""
	@echo "The interactive graph: $(CURDIR)/build/iapgraph.html (open it in a browser; it works offline)"
	@echo "Try next (or run 'source $(BIN)/activate' once and type just 'iapgraph ...'):"
	@echo "  $(BIN)/iapgraph trial NCT02022098"
	@echo "  $(BIN)/iapgraph neighbors cIAP1 --relation ubiquitinates --direction out"
	@echo "  $(BIN)/iapgraph query checkpoint-trials"

## test: install (Python packages and Debian's chromium, virtuoso and libjemalloc2), then run every test
test: install-test system-deps
	$(BIN)/python -m pytest
	$(BIN)/ruff check .
	$(BIN)/mypy src/iapgraph
	@if [ -d "$(SHARED)" ]; then $(MAKE) --no-print-directory verify-quotes check-ids; \
	 else echo "no $(SHARED): quote and identifier checks skipped"; fi

system-deps:
	bash scripts/install-system-deps.sh

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/mypy src/iapgraph

## verify-quotes: every evidence quote verbatim in the review (needs ../shared)
verify-quotes: install
	$(BIN)/iapgraph quotes | $(SHARED)/tools/verify_quotes

## check-ids: every symbol, HGNC/UniProt/miRBase id, ontology and registry xref and hierarchy row against the reference tables (needs ../shared; lspci ids against the indra package of the test extras)
check-ids: install-test
	$(BIN)/python scripts/check_identifiers.py --reference $(SHARED)/reference

## format-graph: rewrite graph/*.tsv in canonical form (rows sorted by id, cells trimmed)
format-graph: install
	$(BIN)/python -m iapgraph.canonical graph

build: install
	$(BIN)/iapgraph build -o build

## diff: what this branch does to the curated graph, against BASE (a git revision or a graph folder)
BASE ?= main
FORMAT ?= text
diff: install
	$(BIN)/iapgraph diff $(BASE) graph --format $(FORMAT)

## release: every export with SHA256SUMS and a changelog against PREVIOUS (a release folder or revision)
PREVIOUS ?=
release: install
	$(BIN)/python scripts/release.py build/release $(if $(PREVIOUS),--previous $(PREVIOUS))

## queries-expected: rewrite queries/expected/*.tsv from rdflib's engine (then read the diff against the review)
queries-expected: install-test
	$(BIN)/python scripts/regen_query_expected.py

## sparql-bench: the query library on Oxigraph and rdflib, on the curated graph and with ~1M background triples
sparql-bench: install-test
	$(BIN)/python benchmarks/sparql_bench.py

bench: install-test
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf build .pytest_cache
