"""Where the chat sockets' database work runs: a few threads of the chat's own on PostgreSQL."""

import functools
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import SyncToAsync
from channels.db import DatabaseSyncToAsync
from django.db import connection, connections

# Threads for the chat sockets' database work on PostgreSQL (see database_work). Few and bounded: each keeps
# a pooled connection while it works, and the process's pool (FERIA_DB_POOL_MAX, 8 by default) also serves
# Channels' own database thread and the site's requests.
DATABASE_THREADS = 4


_database_executor = ThreadPoolExecutor(max_workers=DATABASE_THREADS, thread_name_prefix="chat-db")


def database_work(function):
    """`function` run off the event loop with Django's connection handling (channels' database_sync_to_async).

    On PostgreSQL in one of a few threads of the chat's own, each with its own pooled connection, so that one
    socket's database round trips (a heartbeat's reads, a send in another conversation) do not queue behind
    another's on the single thread Channels otherwise uses for every socket of the process. Each call is a
    whole unit (message_send commits inside it) and a socket handles its frames one at a time, so nothing
    depends on the thread. SQLite keeps Channels' single thread: its connections do not share one database
    across threads the same way (the tests' in-memory database)."""
    if connection.vendor != "postgresql":
        return DatabaseSyncToAsync(function)

    @functools.wraps(function)
    def in_thread(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()  # the pooled connection goes back to the pool after each call

    return DatabaseSyncToAsync(in_thread, thread_sensitive=False, executor=_database_executor)


# The chat's send writer (fair/chat/writer.py): one thread of its own per process, keeping its connection.
_writer_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chat-writer")


def writer_work(function):
    """database_work for the send writer, which runs one batch at a time: on PostgreSQL in a thread of its own
    that keeps its pooled connection from one batch to the next (a batch is a few round trips; handing the
    connection back and taking it again, with the pool's check of it, would add one more, and a pool
    wait). A connection that saw an error is closed (handed back), and the next batch takes a fresh one.
    SQLite: Channels' single database thread, like database_work."""
    if connection.vendor != "postgresql":
        return DatabaseSyncToAsync(function)

    @functools.wraps(function)
    def in_thread(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except Exception:
            connections.close_all()
            raise
        finally:
            if connection.errors_occurred:
                connections.close_all()

    return SyncToAsync(in_thread, thread_sensitive=False, executor=_writer_executor)


def close_writer_connection() -> None:
    """Hand the writer thread's connection back (tests, before the test database is dropped)."""
    _writer_executor.submit(connections.close_all).result()
