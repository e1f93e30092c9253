"""What a buyer's "Recommended for you" page shows for a fair: booths and products with their reasons, the
chamber's featured and sponsored booths in a block of their own, or (personalisation off) a plain list."""

import statistics
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from exhibitors.models import BuyerProfile
from fair.chat.enums import Side
from fair.chat.models import Message
from fair.chat.selectors.pages import (
    RESPONSE_CACHE_SECONDS,
    RESPONSE_MIN_SAMPLES,
    RESPONSE_UNANSWERED_AFTER,
    RESPONSE_WINDOW,
    response_time_label_parts,
)
from fair.matchmaking.reasons import REPLY_TIME_SHOWN_UP_TO_SECONDS, reason_text
from fair.matchmaking.scoring import Match, ProductFacts, rank, reason
from fair.matchmaking.selectors.facts import booth_facts, buyer_facts, buyer_profile_of, names_for_reasons
from fair.models import FairPage
from fair.selectors.directory import booth_cards, fair_booths_live
from fair.selectors.fairs import PROMOTED_LIMIT

RECOMMENDED_BOOTHS = 12
RECOMMENDED_PRODUCTS = 12
PLAIN_LIST_LIMIT = 24


@dataclass
class ProductSuggestion:
    product: ProductFacts
    booth: object
    score: int
    reasons: list[str] = field(default_factory=list)


@dataclass
class Recommendations:
    profile: BuyerProfile | None
    personalised: bool
    booths: list = field(default_factory=list)  # booth cards, each with .reasons and .score
    products: list[ProductSuggestion] = field(default_factory=list)
    promoted: list = field(default_factory=list)
    plain: list = field(default_factory=list)


def recommendations_for(*, fair: FairPage, user) -> Recommendations:
    """The buyer's suggestions at this fair, in a fixed number of queries however many booths it has."""
    profile = buyer_profile_of(user)
    live = fair_booths_live(fair)
    promoted = list(
        booth_cards(live.filter(Q(featured=True) | Q(package__sponsored=True))).order_by(
            Lower("company__legal_name"), "pk"
        )[:PROMOTED_LIMIT]
    )
    if profile is None or not profile.personalised:
        plain = list(booth_cards(live).order_by(Lower("company__legal_name"), "pk")[:PLAIN_LIST_LIMIT])
        return Recommendations(profile=profile, personalised=False, promoted=promoted, plain=plain)

    # A buyer who also exhibits is not suggested their own booths.
    exhibitors = booth_facts(live.exclude(company__memberships__user=user))
    matches = rank(buyer_facts(profile, with_signals=True), exhibitors, limit=RECOMMENDED_BOOTHS)
    by_key = {facts.key: facts for facts in exhibitors}
    cards = {booth.pk: booth for booth in booth_cards(live.filter(pk__in=[m.key for m in matches]))}
    names = names_for_reasons()
    replies = companies_response_seconds([by_key[match.key].company_id for match in matches])
    booths = []
    for match in matches:
        booth = cards[match.key]
        seconds = replies.get(booth.company_id)
        extra = []
        if seconds is not None and seconds <= REPLY_TIME_SHOWN_UP_TO_SECONDS:
            unit, count = response_time_label_parts(seconds)
            extra.append(reason("replies", unit=unit, count=count))
        booth.score = match.score
        booth.reasons = [reason_text(item, audience="buyer", names=names) for item in match.reasons + extra]
        booths.append(booth)
    return Recommendations(
        profile=profile,
        personalised=True,
        booths=booths,
        products=_product_suggestions(matches, by_key, cards, names),
        promoted=promoted,
    )


def _product_suggestions(
    matches: list[Match], by_key: dict, cards: dict, names: dict
) -> list[ProductSuggestion]:
    found = []
    for match in matches:
        products = {product.id: product for product in by_key[match.key].products}
        for product_id, (score, reasons) in match.product_scores.items():
            found.append(
                ProductSuggestion(
                    product=products[product_id],
                    booth=cards[match.key],
                    score=score,
                    reasons=[reason_text(item, audience="buyer", names=names) for item in reasons],
                )
            )
    found.sort(key=lambda item: (-item.score, item.product.name.casefold(), item.product.id))
    return found[:RECOMMENDED_PRODUCTS]


def companies_response_seconds(company_ids: list[int]) -> dict[int, float | None]:
    """Each company's median time to answer a buyer (fair.chat's rule and cache), the companies not
    cached yet read together in one query."""
    keys = {f"chat:response-seconds:{int(company_id)}": company_id for company_id in company_ids}
    cached = cache.get_many(list(keys))
    found = {keys[key]: value for key, value in cached.items()}
    missing = [company_id for company_id in company_ids if company_id not in found]
    if not missing:
        return found
    now = timezone.now()
    rows = (
        Message.objects.filter(conversation__company_id__in=missing)
        .filter(created_at__gte=now - RESPONSE_WINDOW, hidden_at__isnull=True)
        .order_by("conversation_id", "id")
        .values_list("conversation__company_id", "conversation_id", "sender_side", "created_at")
    )
    waits: dict[int, list[float]] = {company_id: [] for company_id in missing}
    waiting_since: dict[int, tuple[int, object]] = {}
    for company_id, conversation_id, side, created_at in rows.iterator():
        if side == Side.BUYER:
            waiting_since.setdefault(conversation_id, (company_id, created_at))
        elif conversation_id in waiting_since:
            waits[company_id].append((created_at - waiting_since.pop(conversation_id)[1]).total_seconds())
    for company_id, began in waiting_since.values():
        if now - began >= RESPONSE_UNANSWERED_AFTER:
            waits[company_id].append((now - began).total_seconds())
    fresh = {
        company_id: (statistics.median(spells) if len(spells) >= RESPONSE_MIN_SAMPLES else None)
        for company_id, spells in waits.items()
    }
    cache.set_many(
        {f"chat:response-seconds:{company_id}": value for company_id, value in fresh.items()},
        RESPONSE_CACHE_SECONDS,
    )
    return found | fresh
