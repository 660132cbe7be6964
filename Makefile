# Cabildeo: `make run` starts the app with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask
export FLASK_APP := wsgi:app

.PHONY: run test install install-dev assets translations lint check-tools clean messages

run: install
	$(FLASK) crm setup
	$(FLASK) crm dev

test: install-dev
	bash scripts/test.sh

check-tools:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3 is missing: apt-get install python3 python3-venv"; exit 1; }
	@$(PYTHON) -c "import sys; sys.exit(sys.version_info < (3, 11))" || { echo "Cabildeo needs Python 3.11 or newer"; exit 1; }
	@$(PYTHON) -c "import venv, ensurepip" 2>/dev/null || { echo "Python venv is missing: apt-get install python3-venv"; exit 1; }
	@command -v npm >/dev/null || { echo "npm is missing; it fetches Bootstrap, htmx and Chart.js. Install it: apt-get install npm"; exit 1; }

$(VENV)/.installed: requirements.txt | check-tools
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

static/vendor/.installed: package.json package-lock.json | check-tools
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/vendor && mkdir -p static/vendor/bootstrap static/vendor/htmx static/vendor/chartjs
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js static/vendor/bootstrap/
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp node_modules/chart.js/dist/chart.umd.min.js static/vendor/chartjs/
	touch $@

assets: static/vendor/.installed

translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile -d translations

install: $(VENV)/.installed assets translations

install-dev: install $(VENV)/.installed-dev

lint: install-dev
	$(VENV)/bin/ruff check .

# Refresh the catalogue after adding strings: extract, then merge into each language.
messages: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs=".* node_modules __pycache__" -o translations/messages.pot .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) node_modules static/vendor
