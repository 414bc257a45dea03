# Dangjian — the two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint venv browser migrate demo bench clean

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

run: demo
	$(BIN)/python manage.py runserver --insecure 127.0.0.1:8000

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

# The browser tests drive headless Chromium: install it where the machine lets us (Debian).
browser:
	@command -v chromedriver >/dev/null && (command -v chromium >/dev/null || command -v chromium-browser >/dev/null) \
	|| { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] \
	     && (apt-get install -y -q chromium chromium-driver fonts-noto-cjk >/dev/null \
	         || (apt-get update -q >/dev/null && apt-get install -y -q chromium chromium-driver fonts-noto-cjk >/dev/null)); } \
	|| echo "未找到 Chromium 与 ChromeDriver，且无法自动安装：浏览器测试将失败。请安装 chromium 与 chromium-driver。"

test: lint browser
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

bench: venv
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
