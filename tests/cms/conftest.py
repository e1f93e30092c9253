"""The home page tests (test_models.py) use the fair tests' fixtures: a fair, its Spanish copy, a buyer."""

from tests.fair.conftest import buyer, buyer_client, fair, spanish_fair  # noqa: F401
