"""The results app's periodic jobs (registered in cms/periodic.py)."""

from results.services.outcomes import outcome_surveys_send
from results.services.views import booth_views_flush


def results_views_flush() -> None:
    booth_views_flush()


def results_outcome_surveys() -> None:
    outcome_surveys_send()
