import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from cms.periodic import JOBS

logger = logging.getLogger("feria.periodic")


class Command(BaseCommand):
    help = "Run the periodic jobs (scheduled publishing, expiries, reminders) forever, or once."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every job once and exit.")

    def handle(self, *args, once=False, **options):
        stopping = False

        def stop(*_):
            # Finish the job in hand, then leave: a job is never cut off half-way.
            nonlocal stopping
            stopping = True

        if not once:
            signal.signal(signal.SIGINT, stop)
            signal.signal(signal.SIGTERM, stop)
        last_run: dict[str, float] = {}
        while not stopping:
            now = time.monotonic()
            for job in JOBS:
                if stopping:
                    break
                if once or now - last_run.get(job.name, -1e9) >= job.every_seconds:
                    last_run[job.name] = now
                    close_old_connections()
                    try:
                        job.run()
                    except Exception:
                        # One failing job must not stop the others; it is retried next round.
                        logger.exception("periodic job %s failed", job.name)
            if once:
                return
            for _ in range(50):
                if stopping:
                    break
                time.sleep(0.1)
