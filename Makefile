# giupxa: the two commands are `make demo` and `make test` (see README.md).
PORT ?= 8000
# uv if it is on the PATH; otherwise the one `make install` puts in Python's site-packages.
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
RUN := $(UV) run --frozen

.PHONY: install demo test lint format bench

install:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen

# A SQLite demo of Điện Biên served on 127.0.0.1:$(PORT), with a Celery worker beside the
# server (no Redis: the queue is a folder, var/queue) so report jobs run in the background
# and their pages show progress as in production. Ctrl+C stops both.
DEMO := env -u DATABASE_URL -u REDIS_URL DEBUG=1
demo: install
	$(DEMO) $(RUN) python manage.py migrate --no-input
	$(DEMO) $(RUN) python manage.py load_admin_units
	$(DEMO) $(RUN) python manage.py seed_demo
	@echo "Mở http://127.0.0.1:$(PORT)/ (Ctrl+C để dừng)"
	$(DEMO) CELERY_BROKER_URL=filesystem:// sh -c '\
	  .venv/bin/celery -A config worker --pool=prefork --concurrency=2 --loglevel=warning & \
	  worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(RUN) python manage.py runserver 127.0.0.1:$(PORT)'

# The whole suite; on DATABASE_URL and REDIS_URL when they are set, SQLite and eager tasks otherwise.
# --dist load, not loadfile: loadfile sends a whole file to one worker, which put the
# permission matrix's rows (one test each) back on a single worker. No test needs a file's
# neighbours on its worker: the browser and live server are per worker, the real Celery
# workers take a queue of their own, each worker has its own test database.
test: install
	$(RUN) pytest -n auto --dist load

lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .

format: install
	$(RUN) ruff format .
	$(RUN) ruff check --fix .

bench: install
	DEBUG=1 $(RUN) python bench/import_10k.py
