"""`make bench`: the scale benchmark on PostgreSQL when it is reachable, otherwise on SQLite."""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dangjian_bench")
env = dict(os.environ, DATABASE_URL=url)
sys.exit(subprocess.call([sys.executable, str(HERE / "scale.py"), *sys.argv[1:]], env=env))
