"""Where the chat sockets' database work runs: a few threads of the chat's own on PostgreSQL."""

import functools
from concurrent.futures import ThreadPoolExecutor

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
