"""Recommended buyers for an exhibitor: only buyers who agreed to be found, shown by country and
interests (never a name, company or address), with the reasons they match the company's catalogue."""

from dataclasses import dataclass, field

from exhibitors.hs import hs_lookup
from exhibitors.models import BuyerProfile, Company
from fair.matchmaking.reasons import reason_text
from fair.matchmaking.scoring import rank
from fair.matchmaking.selectors.facts import (
    buyer_facts,
    company_facts,
    discoverable_profiles,
    names_for_reasons,
)

RECOMMENDED_BUYERS = 30


@dataclass
class BuyerSuggestion:
    profile: BuyerProfile
    score: int
    reasons: list[str] = field(default_factory=list)
    hs_entries: list = field(default_factory=list)
    # Fairs where a meeting can be proposed in the buyer's published times (filled by the page).
    meeting_fairs: list = field(default_factory=list)


def recommended_buyers(*, company: Company) -> list[BuyerSuggestion]:
    """Discoverable buyers ranked against the company's whole catalogue, in a fixed number of queries."""
    facts = company_facts(company.pk)
    profiles = {
        profile.pk: profile
        for profile in discoverable_profiles(exclude_users=company.memberships.values("user_id"))
    }
    if facts is None or not profiles:
        return []
    names = names_for_reasons()
    found = []
    for profile in profiles.values():
        matches = rank(buyer_facts(profile, with_signals=False), [facts], signals=False)
        if not matches:
            continue
        found.append(
            BuyerSuggestion(
                profile=profile,
                score=matches[0].score,
                reasons=[reason_text(item, audience="exhibitor", names=names) for item in matches[0].reasons],
                hs_entries=[entry for code in profile.hs_codes or () if (entry := hs_lookup(code))],
            )
        )
    found.sort(key=lambda item: (-item.score, item.profile.pk))
    return found[:RECOMMENDED_BUYERS]
