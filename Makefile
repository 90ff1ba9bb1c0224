# Two commands: `make run` (the site; demo data in an empty database) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := wsgi

.PHONY: run test lint install browsers clean-db translations

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Start the site on http://127.0.0.1:5000. The configured database (DATABASE_URL, default the
## SQLite file in instance/) decides: an empty one becomes a demo database, a demo one is brought
## up to date and its logins printed, a real one only gets `flask setup` (never demo accounts).
run: $(STAMP)
	@state=$$($(BIN)/flask db-state) || exit 1; \
	case "$$state" in \
	  empty|demo) $(BIN)/flask demo ;; \
	  real) $(BIN)/flask setup && echo "This database holds real data: no demo accounts added." ;; \
	  *) echo "flask db-state answered '$$state'" >&2; exit 1 ;; \
	esac
	$(BIN)/flask run --host 127.0.0.1 --port 5000

## Run the whole test suite (SQLite; set TEST_DATABASE_URL for PostgreSQL).
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

## Extract every user-facing string (msgids are the Vietnamese texts) for translators.
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -o app/translations/messages.pot .

clean-db:
	rm -f instance/giaoban.sqlite3 instance/giaoban.sqlite3-wal instance/giaoban.sqlite3-shm
