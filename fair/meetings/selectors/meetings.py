"""Reads for meeting pages: who may see a meeting, the lists each person sees, and where a meeting
happens (its call link)."""

from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from exhibitors.models import Membership
from exhibitors.services.mail import site_url
from fair.meetings.enums import MeetingSide, MeetingStatus
from fair.meetings.models import Meeting
from fair.meetings.selectors.days import day_bounds

LIST_RELATED = ("fair", "company", "buyer", "staff", "buyer__buyer_profile")
UPCOMING = (MeetingStatus.REQUESTED, MeetingStatus.ACCEPTED)


def _with_related(queryset: QuerySet) -> QuerySet:
    return queryset.select_related(*LIST_RELATED)


def meeting_for_user_or_404(*, user, uuid) -> tuple[Meeting, str]:
    """The meeting and the person's side in it; 404 for anyone who is neither its buyer nor a member of
    its company."""
    if not user.is_authenticated:
        raise Http404
    meeting = _with_related(Meeting.objects.filter(uuid=uuid)).first()
    if meeting is None:
        raise Http404
    if meeting.buyer_id == user.pk:
        return meeting, MeetingSide.BUYER
    if Membership.objects.filter(company_id=meeting.company_id, user=user).exists():
        return meeting, MeetingSide.COMPANY
    raise Http404


def person_meetings_q(user) -> Q:
    """The meetings that are the person's own: as buyer, or as company staff (theirs, or "anyone from the
    company" of a company they belong to)."""
    companies = Membership.objects.filter(user=user).values("company_id")
    return Q(buyer=user) | Q(staff=user) | Q(staff__isnull=True, company_id__in=companies)


def meetings_of_person(*, user, upcoming: bool = True, now: datetime) -> QuerySet[Meeting]:
    """ "My meetings": upcoming requests and meetings, or everything that has ended or was closed."""
    queryset = Meeting.objects.filter(person_meetings_q(user))
    if upcoming:
        queryset = queryset.filter(status__in=UPCOMING, ends_at__gt=now).order_by("starts_at", "pk")
    else:
        queryset = queryset.exclude(status__in=UPCOMING, ends_at__gt=now).order_by("-starts_at", "-pk")
    return _with_related(queryset)


def meetings_of_company(*, company, fair_id: int | None = None) -> QuerySet[Meeting]:
    """The booth's meeting list: every request and meeting of the company, soonest first."""
    queryset = Meeting.objects.filter(company=company)
    if fair_id is not None:
        queryset = queryset.filter(fair_id=fair_id)
    return _with_related(queryset).order_by("starts_at", "pk")


def day_agenda(*, user, day: date, zone) -> QuerySet[Meeting]:
    """The person's accepted meetings on one calendar day of their zone (the printable agenda)."""
    start, end = day_bounds(day, zone)
    return (
        _with_related(Meeting.objects.filter(person_meetings_q(user)))
        .filter(status=MeetingStatus.ACCEPTED, starts_at__gte=start, starts_at__lt=end)
        .prefetch_related("products")
        .order_by("starts_at", "pk")
    )


def meeting_location_url(meeting: Meeting) -> str:
    """Where the meeting happens, as an absolute URL (the .ics LOCATION and URL): the exhibitor's own
    meeting link if they gave one, else the meeting's call room, else its page."""
    if meeting.external_link:
        return meeting.external_link
    try:
        path = reverse("meetings:call", kwargs={"uuid": meeting.uuid})
    except NoReverseMatch:
        path = reverse("meetings:detail", kwargs={"uuid": meeting.uuid})
    return site_url(path)


def no_show_counts(*, minimum: int = 2) -> tuple[list[dict], list[dict]]:
    """Buyers and companies reported as no-shows at least `minimum` times: ([{buyer...}], [{company...}])."""
    from django.db.models import Count, Max

    no_shows = Meeting.objects.filter(status=MeetingStatus.NO_SHOW)
    buyers = list(
        no_shows.filter(no_show_side=MeetingSide.BUYER)
        .values("buyer_id", "buyer__first_name", "buyer__last_name", "buyer__email")
        .annotate(count=Count("pk"), last=Max("starts_at"))
        .filter(count__gte=minimum)
        .order_by("-count", "buyer_id")
    )
    companies = list(
        no_shows.filter(no_show_side=MeetingSide.COMPANY)
        .values("company_id", "company__legal_name")
        .annotate(count=Count("pk"), last=Max("starts_at"))
        .filter(count__gte=minimum)
        .order_by("-count", "company_id")
    )
    return buyers, companies


def company_day_agenda(*, company, day: date, zone) -> QuerySet[Meeting]:
    """The company's accepted meetings on one day of the viewer's zone (the booth's printable list)."""
    start, end = day_bounds(day, zone)
    return (
        _with_related(Meeting.objects.filter(company=company))
        .filter(status=MeetingStatus.ACCEPTED, starts_at__gte=start, starts_at__lt=end)
        .prefetch_related("products")
        .order_by("starts_at", "pk")
    )


def agenda_days(meetings, zone) -> list[date]:
    """The calendar days (in `zone`) on which the given meetings' accepted ones start, soonest first."""
    from django.utils import timezone

    return sorted(
        {timezone.localtime(m.starts_at, zone).date() for m in meetings if m.status == MeetingStatus.ACCEPTED}
    )
