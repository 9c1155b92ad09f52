# Paved Road — the two commands:
#   make site   build the demo portal into site/ and say how to open it
#   make test   run the whole test suite
# Both create .venv, install the project and the system packages it needs.

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
SITE   ?= site

.PHONY: site test serve lint bench clean system-deps system-deps-test

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "Paved Road needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
	    echo "Run: make PYTHON=python3.11 ..."; exit 1; }
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  rm -rf $(VENV); \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing python3-venv with apt-get"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; \
	    $(PYTHON) -m venv $(VENV); \
	  else echo "Cannot create a virtual environment. Run: sudo apt-get install python3-venv"; exit 1; fi; }
	@$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@ $(VENV)/.installed

# Install a Debian package when its command is missing: apt-get as root,
# otherwise stop with the exact command to run.
define need
	@command -v $(1) >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing $(2) with apt-get (needed for $(3))"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null \
	      || { echo "apt-get could not install $(2); install it and run make again"; exit 1; }; \
	  else \
	    echo "Paved Road needs '$(1)' for $(3). Run:  sudo apt-get install $(2)"; exit 1; \
	  fi; }
endef

system-deps:
	$(call need,dot,graphviz,dependency diagrams)

system-deps-test: system-deps
	$(call need,chromium,chromium,the browser tests)

site: $(VENV)/.installed system-deps
	$(BIN)/pavedroad build --strict --site-dir $(SITE)
	@echo
	@echo "The demo portal is in $(SITE)/. To browse it (search needs a web server):"
	@echo "    $(BIN)/python -m http.server -d $(SITE) 8000   then open http://127.0.0.1:8000/"
	@echo "or, with live reload while you edit docs/ or catalog-sources/:"
	@echo "    make serve"

serve: $(VENV)/.installed system-deps
	$(BIN)/pavedroad serve

test: $(VENV)/.installed-test system-deps-test
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check generator tests benchmarks

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_catalog.py

clean:
	rm -rf $(SITE) .pytest_cache
