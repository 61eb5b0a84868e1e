# The two commands of the README:
#   make up     bring up Gaoxin on http://127.0.0.1:8000 with the demo zones (SQLite, WAL)
#   make test   install what the tests need and run the whole suite
.PHONY: up test lint bench

up:
	scripts/bootstrap.sh runtime
	.venv/bin/gaoxin up $(ARGS)

test:
	scripts/test.sh $(ARGS)

lint:
	scripts/bootstrap.sh dev
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

bench:
	scripts/bootstrap.sh dev
	for f in bench/bench_*.py; do .venv/bin/python $$f; done
