from django.urls import path, re_path

from results.views import beacon, dashboard, outcomes

app_name = "results"
urlpatterns = [
    re_path(r"^v/booth/(?P<booth_id>[0-9]{1,18})\.gif$", beacon.booth_beacon, name="booth_beacon"),
    path("results/companies/<id:company_id>/fairs/<id:fair_id>/", dashboard.dashboard, name="dashboard"),
    path(
        "results/companies/<id:company_id>/fairs/<id:fair_id>/results.csv",
        dashboard.dashboard_csv,
        name="dashboard_csv",
    ),
    path(
        "results/companies/<id:company_id>/fairs/<id:fair_id>/charts/<slug:key>.svg",
        dashboard.chart,
        name="chart",
    ),
    path("results/outcomes/", outcomes.outcome_list, name="outcomes"),
    path("results/outcomes/<id:outcome_id>/", outcomes.outcome_answer_view, name="outcome_answer"),
]
