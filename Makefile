# Dangjian — the two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run serve test lint venv browser fonts migrate demo bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@mkdir -p var
	@touch $(STAMP)

migrate: venv
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo --if-empty

# the development server in the foreground, the queue worker (background jobs and the scheduled
# ones, on the database broker) beside it in a process group of its own, stopped when the server ends
run: SHELL := /bin/bash
run: demo fonts
	@set -m; $(BIN)/python manage.py qcluster & worker=$$!; set +m; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; trap 'exit 0' INT; trap 'exit 143' TERM; \
	$(BIN)/python manage.py runserver --insecure 127.0.0.1:8000

# the production configuration on this machine: gunicorn and the queue worker, settings from
# deploy/dangjian.env (deploy/dangjian.env.example; README 生产部署); Ctrl-C stops both
serve: venv
	deploy/serve.sh

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

# The browser tests drive headless Chromium, the summary's charts need a CJK font (Noto Sans CJK)
# and its test renders the Word file to PDF in LibreOffice: install them where the machine lets us
# (Debian).
DEBIAN_PACKAGES := chromium chromium-driver fonts-noto-cjk libreoffice-writer-nogui
# the summary's charts, also for `make run`
fonts:
	@[ -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] \
	|| { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] \
	     && (apt-get install -y -q fonts-noto-cjk >/dev/null \
	         || (apt-get update -q >/dev/null && apt-get install -y -q fonts-noto-cjk >/dev/null)); } \
	|| echo "未找到 Noto CJK 字体，且无法自动安装：综述中的图表无法绘制。请安装 fonts-noto-cjk，或用 DANGJIAN_CJK_FONT 指明中文字体。"

browser:
	@command -v chromedriver >/dev/null && (command -v chromium >/dev/null || command -v chromium-browser >/dev/null) \
	  && command -v soffice >/dev/null && [ -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] \
	|| { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] \
	     && (apt-get install -y -q $(DEBIAN_PACKAGES) >/dev/null \
	         || (apt-get update -q >/dev/null && apt-get install -y -q $(DEBIAN_PACKAGES) >/dev/null)); } \
	|| echo "未找到 Chromium、ChromeDriver、LibreOffice 或 Noto CJK 字体，且无法自动安装：相关测试将失败。请安装 $(DEBIAN_PACKAGES)。"

test: lint browser
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n auto

bench: venv
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
