"""Settings of the daphne process that serves the site to tests/browser/test_chat.py: those of the chat's
process tests (test database, Redis when given, short heartbeats), with WhiteNoise serving static/ straight
from the finders (no collectstatic in tests)."""

from tests.fair.chat.process_settings import *  # noqa: F403

WHITENOISE_USE_FINDERS = True
