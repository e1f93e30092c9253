"""The chat sockets' group commit: one writer per event loop stores the `send` frames of all its sockets.

A socket's `send` (fair/chat/frames.py) is queued here and awaited. The writer takes everything queued (at
most BATCH_MAX sends), stores it with ONE database thread hop (to a thread of its own that keeps its
connection, fair/chat/threads.py) and ONE transaction (fair/chat/services/batch.py), publishes the new
messages' events in one Redis round trip, and answers each waiting socket with its own result; sends that
arrive meanwhile make the next batch. Under light load a batch
is a single send, written at once (no waiting window); under heavy load batches grow, and with them the sends
stored per transaction, per thread hop and per round trip.

The same (sender, client id) twice in the queue (a resend from another tab while the first is on its way)
waits for the next batch, where it is answered with the stored message like any resend.
"""

import asyncio
import logging
import weakref

from django.db import connection

from fair.chat.broadcast import group_send_many_safely
from fair.chat.services.batch import SendRequest, SendResult, message_send_batch
from fair.chat.threads import writer_work

logger = logging.getLogger(__name__)

BATCH_MAX = 200


class SendWriter:
    def __init__(self):
        self.pending: list[tuple[SendRequest, asyncio.Future]] = []
        self.task: asyncio.Task | None = None
        self.warming: asyncio.Task | None = None

    def warm(self) -> None:
        """Open the writer's database connection ahead of the first send (called when a socket connects),
        so the first messages do not wait for it."""
        if self.task is None and self.warming is None:
            self.warming = asyncio.create_task(self._warm())

    async def _warm(self) -> None:
        try:
            await writer_work(_open_connection)()
        except Exception:  # noqa: BLE001 - the first batch tries again
            logger.warning("chat writer could not open its database connection yet", exc_info=True)

    async def submit(self, request: SendRequest) -> SendResult:
        future = asyncio.get_running_loop().create_future()
        self.pending.append((request, future))
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._run())
        return await future

    def _take(self) -> list[tuple[SendRequest, asyncio.Future]]:
        batch, rest, keys = [], [], set()
        for request, future in self.pending:
            if future.done():
                continue  # its socket went away
            key = (request.sender.pk, (request.client_id or "").strip())
            if key in keys or len(batch) >= BATCH_MAX:
                rest.append((request, future))
            else:
                keys.add(key)
                batch.append((request, future))
        self.pending = rest
        return batch

    async def _run(self) -> None:
        # Exits when nothing is left, so no task outlives the sockets of its loop.
        while self.pending:
            batch = self._take()
            if not batch:
                continue
            try:
                results = await writer_work(message_send_batch)([request for request, _ in batch])
            except Exception as error:  # noqa: BLE001 - each waiting socket gets the failure, as before
                logger.exception("chat batch of %d sends failed", len(batch))
                for _request, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            # Committed: told to the sockets of both sides, all of the batch's events in one round trip
            # (after commit, from async code: see fair/chat/frames.py), then each sender is answered.
            sends = [(group, result.event) for result in results if result.event for group in result.groups]
            if sends:
                await group_send_many_safely(sends)
            for (_request, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)


def _open_connection() -> None:
    connection.ensure_connection()


_writers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, SendWriter]" = weakref.WeakKeyDictionary()


def send_writer() -> SendWriter:
    """This event loop's writer."""
    loop = asyncio.get_running_loop()
    writer = _writers.get(loop)
    if writer is None:
        writer = _writers[loop] = SendWriter()
    return writer
