# dangjian: `make run` starts the demo county; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DJ := $(VENV)/bin/dangjian
PG_URL ?= postgres://postgres@127.0.0.1:5432/dangjian
PORT ?= 8000

.PHONY: run install assets messages pdf-fonts demo serve test test-sqlite test-postgres chromium pg-client lint bench clean

# Demo mode (dangjian/settings.py): plain HTTP on this machine, demo logins on the login page.
run: install
	DANGJIAN_DEMO=1 $(DJ) demo
	DANGJIAN_DEMO=1 $(DJ) serve --port $(PORT)

install: $(VENV)/.installed assets messages pdf-fonts

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[test]"
	touch $@

# Front-end assets come from the npm registry, pinned in package-lock.json, and go into
# static/ (never committed, never from a CDN): htmx as shipped; ECharts built by esbuild from
# echarts' own modules with only the chart types the pages draw (assets/echarts.js).
assets: dangjian/static/vendor/.installed

dangjian/static/vendor/.installed: package.json package-lock.json assets/echarts.js
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p dangjian/static/vendor
	node_modules/.bin/esbuild assets/echarts.js --bundle --minify --format=iife \
	  --target=es2017 --log-level=warning --outfile=dangjian/static/vendor/echarts.min.js
	cp node_modules/htmx.org/dist/htmx.min.js dangjian/static/vendor/
	touch $@

messages:
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq gettext >/dev/null; } || { echo "需要 gettext（msgfmt）：请运行 sudo apt-get install gettext"; exit 1; }
	cd dangjian && DANGJIAN_DEBUG=1 ../$(DJ) compilemessages -v 0

# Notices' PDFs (WeasyPrint, on Pango) need a font with Chinese characters, and HarfBuzz's subsetter so
# that a PDF embeds only the characters it uses (fontTools' fallback takes seconds a page).
pdf-fonts:
	@if ! fc-list :lang=zh family 2>/dev/null | grep -q . || ! ldconfig -p | grep -q libharfbuzz-subset.so.0 || ! ldconfig -p | grep -q libpangoft2-1.0.so.0; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's fonts-noto-cjk and libharfbuzz-subset0 for notices' PDFs…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk libharfbuzz-subset0 libpangoft2-1.0-0 >/dev/null; \
	  else \
	    echo "通报的PDF需要中文字体和HarfBuzz：请运行 sudo apt-get install fonts-noto-cjk libharfbuzz-subset0，然后重新运行 make"; \
	    echo "Notices' PDFs need a Chinese font and HarfBuzz: run 'sudo apt-get install fonts-noto-cjk libharfbuzz-subset0', then make again."; \
	    exit 1; \
	  fi; \
	fi

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's chromium for the browser tests…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	  else \
	    echo "浏览器测试需要 Debian 的 chromium：请运行 sudo apt-get install chromium，然后重新运行 make test"; \
	    echo "Browser tests need Debian's chromium: run 'sudo apt-get install chromium', then 'make test' again."; \
	    exit 1; \
	  fi; \
	fi

# `dangjian backup`/`restore` on PostgreSQL run pg_dump/pg_restore (the suite tests both).
pg-client:
	@if ! command -v pg_dump >/dev/null || ! command -v pg_restore >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing the PostgreSQL client (pg_dump, pg_restore) for the backup tests…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client >/dev/null; \
	  else \
	    echo "备份测试需要 PostgreSQL 客户端（pg_dump、pg_restore）：请运行 sudo apt-get install postgresql-client，然后重新运行 make test"; \
	    echo "The backup tests need the PostgreSQL client: run 'sudo apt-get install postgresql-client', then 'make test' again."; \
	    exit 1; \
	  fi; \
	fi

test: install chromium
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite:
	@echo "== tests on SQLite =="
	env -u DATABASE_URL $(VENV)/bin/pytest -q -n 2 --dist loadgroup --durations=15

# PostgreSQL is required in CI; elsewhere the run is skipped with a line saying so.
test-postgres:
	@echo "== tests on PostgreSQL =="
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  $(MAKE) --no-print-directory pg-client && \
	  DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -q -n 2 --dist loadgroup --durations=15; \
	elif [ -n "$$CI" ] || [ -n "$$REQUIRE_POSTGRES" ]; then \
	  echo "PostgreSQL at $(PG_URL) is not reachable, and CI requires the PostgreSQL run."; exit 1; \
	else \
	  echo "SKIPPED: PostgreSQL at $(PG_URL) is not reachable; the PostgreSQL run was skipped (outside CI only)."; \
	fi

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

bench: install
	DANGJIAN_DEMO=1 $(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules dangjian/static/vendor var
