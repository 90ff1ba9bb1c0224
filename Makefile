# Two commands: `make run` (the site; demo data in an empty database) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := wsgi

.PHONY: run test lint install lock browsers clean-db translations screenshots

# The exact versions in requirements.lock, then the project itself (its ranges already met).
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade 'pip>=24,<27'
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e '.[dev,production]'
	touch $(STAMP)

## Refresh requirements.lock from pyproject.toml's ranges (then review the diff and run make test).
lock: $(STAMP)
	$(BIN)/pip install --quiet 'pip-tools>=7.4,<8'
	$(BIN)/pip-compile --quiet --upgrade --extra dev --extra production --strip-extras \
		--no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml

install: $(STAMP)

## Start the site on http://127.0.0.1:$(PORT) (5000 unless `make run PORT=5101`). The configured database (DATABASE_URL, default the
## SQLite file in instance/) decides: an empty one becomes a demo database, a demo one is brought
## up to date and its logins printed, a real one only gets `flask setup` (never demo accounts).
PORT ?= 5000
run: $(STAMP)
	@state=$$($(BIN)/flask db-state) || exit 1; \
	case "$$state" in \
	  empty|demo) $(BIN)/flask demo ;; \
	  real) $(BIN)/flask setup && echo "This database holds real data: no demo accounts added." ;; \
	  *) echo "flask db-state answered '$$state'" >&2; exit 1 ;; \
	esac
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

## Run the whole test suite on every core (SQLite; set TEST_DATABASE_URL for PostgreSQL,
## GIAOBAN_TEST_DAY=2027-02-05 for another "today", PYTEST_JOBS=0 for one process).
PYTEST_JOBS ?= auto
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest -n $(PYTEST_JOBS) $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

## Extract every user-facing string (msgids are the Vietnamese texts) for translators.
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -o app/translations/messages.pot .

## docs/screenshots/: each role's home and main form at 1366 px and 390 px (needs /usr/bin/chromium).
screenshots: $(STAMP)
	$(BIN)/python tools/screenshots.py

clean-db:
	rm -f instance/giaoban.sqlite3 instance/giaoban.sqlite3-wal instance/giaoban.sqlite3-shm
