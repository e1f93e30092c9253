"""The embedded SQLite database takes several writers at once (web server, task worker, periodic jobs).

Each process here is a real Python process with the development settings on a temporary database file, as
`make run` starts them.
"""

import json
import os
import sqlite3
import subprocess
import sys
import time

import pytest
from django.conf import settings

WRITES_PER_PROCESS = 150

PRAGMAS = """
import json, django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    found = {}
    for name in ("journal_mode", "synchronous", "busy_timeout"):
        cursor.execute(f"PRAGMA {name}")
        found[name] = cursor.fetchone()[0]
    cursor.execute("CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY)")
    cursor.execute("INSERT INTO probe DEFAULT VALUES")
found["transaction_mode"] = connection.transaction_mode
print(json.dumps(found))
"""

# Every write reads first, then writes, inside one transaction: the pattern that fails with "database is
# locked" when two deferred transactions both try to upgrade from reading to writing.
WRITER = """
import sys, time, django
django.setup()
from django.db import connection, transaction
name, start_at, count = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
while time.time() < start_at:
    time.sleep(0.001)
for _ in range(count):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM ledger")
            seq = cursor.fetchone()[0] + 1
            cursor.execute("INSERT INTO ledger (seq, writer) VALUES (%s, %s)", [seq, name])
print("done", name)
"""


def sqlite_env(path) -> dict[str, str]:
    unset = {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    env = {key: value for key, value in os.environ.items() if key not in unset}
    env.update(DJANGO_SETTINGS_MODULE="cms.settings.dev", FERIA_SQLITE_PATH=str(path))
    return env


def test_sqlite_file_database_uses_wal_and_immediate_transactions(tmp_path):
    path = tmp_path / "feria.sqlite3"
    result = subprocess.run(
        [sys.executable, "-c", PRAGMAS],
        env=sqlite_env(path),
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["journal_mode"] == "wal"
    assert found["transaction_mode"] == "IMMEDIATE"
    assert found["busy_timeout"] == 20000
    assert found["synchronous"] == 1  # NORMAL: safe with WAL, fewer fsyncs.
    # WAL is a property of the file: any later connection, even without our settings, sees it.
    with sqlite3.connect(path) as plain:
        assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_sqlite_two_processes_write_at_once_without_locking_errors(tmp_path):
    path = tmp_path / "feria.sqlite3"
    with sqlite3.connect(path) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE ledger (seq INTEGER NOT NULL, writer TEXT NOT NULL)")
    start_at = time.time() + 3
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, name, str(start_at), str(WRITES_PER_PROCESS)],
            env=sqlite_env(path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=settings.BASE_DIR,
        )
        for name in ("web", "worker")
    ]
    outcomes = []
    for writer in writers:
        try:
            stdout, stderr = writer.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            writer.kill()
            pytest.fail("a writer did not finish in time")
        outcomes.append((writer.returncode, stdout, stderr))

    for returncode, _, stderr in outcomes:
        assert "database is locked" not in stderr
        assert returncode == 0, stderr
    with sqlite3.connect(path) as check:
        rows = check.execute("SELECT seq, writer FROM ledger ORDER BY seq").fetchall()
    # Both really wrote, interleaved, and no transaction saw a stale maximum.
    assert len(rows) == 2 * WRITES_PER_PROCESS
    assert [seq for seq, _ in rows] == list(range(1, 2 * WRITES_PER_PROCESS + 1))
    assert {writer for _, writer in rows} == {"web", "worker"}
