# Two commands: `make dev` (run everything locally) and `make test` (everything CI runs).
SHELL := /bin/bash
PORT ?= 8000
HOST ?= 127.0.0.1
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP_FLAGS ?= -q --disable-pip-version-check

.PHONY: dev dev-reset test setup system-deps lint test-python test-unit test-integration test-frontend test-e2e spa clean package bench

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install $(PIP_FLAGS) -r requirements-dev.txt
	touch $@

frontend/node_modules/.installed: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

infrastructure/local/node_modules/.installed: infrastructure/local/package-lock.json
	cd infrastructure/local && npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed frontend/node_modules/.installed

system-deps:
	bash infrastructure/local/install-system-deps.sh

spa: frontend/node_modules/.installed
	cd frontend && npm run build --silent

## make dev: the whole system on http://$(HOST):$(PORT) on real local servers that keep their data
## (DynamoDB Local + SeaweedFS under $(DATA_DIR), dev directory); Ctrl-C stops everything.
## STORE=memory: moto in-process instead (single user only, data lost on exit).
DATA_DIR ?= .local/data
STORE ?= local
dev: setup spa infrastructure/local/node_modules/.installed
	@if [ "$(STORE)" != "memory" ]; then bash infrastructure/local/install-system-deps.sh dev; fi
	$(PY) -m infrastructure.local_gateway --host $(HOST) --port $(PORT) --static frontend/dist --store $(STORE) --data-dir $(DATA_DIR)

## make dev-reset: stop a stack still running on $(DATA_DIR) and empty it (next make dev starts fresh)
dev-reset: $(VENV)/.installed
	$(PY) -m infrastructure.local_gateway --reset --data-dir $(DATA_DIR)

## make test: lint, unit, integration (DynamoDB Local, Samba AD), frontend, browser
test: system-deps setup infrastructure/local/node_modules/.installed lint test-frontend spa test-python

lint: $(VENV)/.installed frontend/node_modules/.installed
	$(VENV)/bin/ruff check app.py chalicelib infrastructure tests bench
	$(VENV)/bin/mypy app.py chalicelib
	$(VENV)/bin/lint-imports --no-cache
	cd frontend && npm run lint --silent

test-unit: $(VENV)/.installed
	$(PY) -m pytest tests/unit -q

test-integration: $(VENV)/.installed infrastructure/local/node_modules/.installed
	$(PY) -m pytest tests/integration -q

test-frontend: frontend/node_modules/.installed
	cd frontend && npm test --silent

test-e2e: setup spa
	$(PY) -m pytest tests/e2e -q

# unit + integration + browser in one pytest run (one summary line for CI)
test-python: $(VENV)/.installed
	$(PY) -m pytest tests -q

## make bench: performance figures on DynamoDB Local (not timed tests; see the issue notes)
bench: $(VENV)/.installed infrastructure/local/node_modules/.installed
	$(PY) -m bench.rooms_list
	$(PY) -m bench.messaging
	$(PY) -m bench.realtime
	$(PY) -m bench.search
	$(PY) -m bench.escalation
	$(PY) -m bench.reports
	$(PY) -m bench.pdf_report
	$(PY) -m bench.coldstart

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist infrastructure/local/node_modules out .pytest_cache .mypy_cache

## make package STAGE=dev|prod ALLOWED_ORIGIN=https://<SPA origin>: out/sam.json + out/deployment.zip
## (CloudFormation: tables, buckets, CloudFront, per-function IAM merged into Chalice's template)
STAGE ?= dev
ALLOWED_ORIGIN ?=
OUT ?= out
package: $(VENV)/.installed
	@test -n "$(ALLOWED_ORIGIN)" || { echo "ALLOWED_ORIGIN=https://<SPA origin> is required (see README, Deployment)"; exit 2; }
	$(PY) -m infrastructure.package --stage $(STAGE) --origin "$(ALLOWED_ORIGIN)" --out $(OUT)

## make publish-spa STACK=<stack name>: build the SPA against the stack's API URLs, upload it, invalidate CloudFront
.PHONY: publish-spa
publish-spa: frontend/node_modules/.installed
	bash infrastructure/publish-spa.sh "$(STACK)"
