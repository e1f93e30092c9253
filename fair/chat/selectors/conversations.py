"""Reads for conversations: who is in which, what they have not read, what came after a given id."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from exhibitors.models import Membership
from fair.chat.enums import SanctionKind, Side
from fair.chat.models import ChatSanction, Conversation, Message, ReadState

MESSAGES_PAGE = 100


def chat_blocked(user) -> bool:
    """A moderator has blocked this person from chat (until lifted)."""
    return ChatSanction.objects.filter(user=user, kind=SanctionKind.BLOCK, lifted_at__isnull=True).exists()


def conversations_for(user) -> QuerySet[Conversation]:
    """Every conversation the person is in: as the buyer, or as a member of the exhibitor company."""
    if not user.is_authenticated:
        return Conversation.objects.none()
    # The person's companies as a subquery, not a join: no duplicate rows, so no DISTINCT over every
    # selected column (which made this the slowest query of a chat send).
    companies = Membership.objects.filter(user_id=user.pk).values("company_id")
    return Conversation.objects.filter(Q(buyer_id=user.pk) | Q(company_id__in=companies))


def side_of(*, user, conversation: Conversation) -> str | None:
    """Which side the person is on in this conversation, or None if they are not in it."""
    if not user.is_authenticated:
        return None
    if conversation.buyer_id == user.pk:
        return Side.BUYER
    if conversation.company.memberships.filter(user=user).exists():
        return Side.COMPANY
    return None


def conversation_for(*, user, conversation_id: int) -> tuple[Conversation, str] | None:
    """The conversation and the person's side in it, or None (not found, or not theirs)."""
    conversation = (
        conversations_for(user)
        .select_related("company", "buyer", "buyer__buyer_profile", "started_from__fair")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        return None
    side = Side.BUYER if conversation.buyer_id == user.pk else Side.COMPANY
    return conversation, side


def conversations_with_unread(user) -> QuerySet[Conversation]:
    """The person's conversations, newest activity first, each annotated with `unread` (messages from the
    other side after their read mark, hidden ones excluded) and `last_read_id`."""
    read_mark = Subquery(
        ReadState.objects.filter(conversation=OuterRef("pk"), user=user).values("last_read_message_id")[:1],
        output_field=IntegerField(),
    )
    unread = Subquery(
        Message.objects.filter(
            conversation=OuterRef("pk"), id__gt=OuterRef("last_read_id"), hidden_at__isnull=True
        )
        .exclude(sender=user)
        .values("conversation")
        .annotate(n=Count("id"))
        .values("n")[:1],
        output_field=IntegerField(),
    )
    return (
        conversations_for(user)
        .annotate(last_read_id=Coalesce(read_mark, Value(0)))
        .annotate(unread=Coalesce(unread, Value(0)))
        .select_related("company", "buyer", "buyer__buyer_profile", "started_from__fair")
        .order_by(F("last_message_at").desc(nulls_last=True), "-pk")
    )


def _unread_total_sql() -> str:
    message, conversation = Message._meta.db_table, Conversation._meta.db_table
    read_state, membership = ReadState._meta.db_table, Membership._meta.db_table
    return (
        f"SELECT COUNT(*) FROM {message} m "
        f"JOIN {conversation} c ON c.id = m.conversation_id "
        f"LEFT JOIN {read_state} r ON r.conversation_id = c.id AND r.user_id = %(user)s "
        f"WHERE (c.buyer_id = %(user)s OR c.company_id IN "
        f"(SELECT company_id FROM {membership} WHERE user_id = %(user)s)) "
        "AND m.id > COALESCE(r.last_read_message_id, 0) AND m.hidden_at IS NULL AND m.sender_id <> %(user)s"
    )


def unread_total(user) -> int:
    """Messages waiting for the person across all their conversations (the header badge): the same count as
    the sum of `conversations_with_unread`'s, in one SQL statement written out (it is on every page a
    signed-in person opens, where building it with the ORM cost more than running it)."""
    if not user.is_authenticated:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_unread_total_sql(), {"user": user.pk})
        return cursor.fetchone()[0]


def messages_after(
    *, conversation: Conversation, after_id: int = 0, limit: int = MESSAGES_PAGE
) -> list[Message]:
    """Messages newer than `after_id`, oldest first, at most `limit` (ask again from the last id for more)."""
    return list(
        Message.objects.filter(conversation=conversation, id__gt=after_id)
        .select_related("sender")
        .order_by("id")[:limit]
    )


def conversation_latest_id(conversation_id: int) -> int:
    """The id of the conversation's newest message as stored now (0 before the first one)."""
    latest = Conversation.objects.filter(pk=conversation_id).values_list("last_message_id", flat=True).first()
    return latest or 0


def conversation_blocked(conversation: Conversation) -> bool:
    return conversation.blocks.exists()


def _heartbeat_sql(open_count: int) -> str:
    """socket_heartbeat's query: tagged rows of three lookups, padded to the same eight columns."""
    from exhibitors.models import Company

    quote = connection.ops.quote_name

    def names(model, *fields):
        return [quote(model._meta.db_table)] + [quote(model._meta.get_field(f).column) for f in fields]

    conv, conv_id, latest, conv_company, conv_buyer = names(
        Conversation, "id", "last_message_id", "company", "buyer"
    )
    company, company_id, legal_name = names(Company, "id", "legal_name")
    person, person_id, first, last = names(get_user_model(), "id", "first_name", "last_name")
    membership, member_user, member_company = names(Membership, "user", "company")
    sanction, sanction_id, sanction_user, kind, lifted = names(
        ChatSanction, "id", "user", "kind", "lifted_at"
    )
    members = f"SELECT {member_company} FROM {membership} WHERE {member_user} = %s"
    nulls = ", NULL" * 6
    parts = []
    if open_count:
        parts.append(
            f"SELECT 'c', c.{conv_id}, c.{latest}, c.{conv_company}, c.{conv_buyer}, co.{legal_name}, "
            f"u.{first}, u.{last} FROM {conv} c "
            f"JOIN {company} co ON co.{company_id} = c.{conv_company} "
            f"JOIN {person} u ON u.{person_id} = c.{conv_buyer} "
            f"WHERE c.{conv_id} IN ({', '.join(['%s'] * open_count)}) "
            f"AND (c.{conv_buyer} = %s OR c.{conv_company} IN ({members}))"
        )
    parts.append(f"SELECT 'm', {member_company}{nulls} FROM {membership} WHERE {member_user} = %s")
    parts.append(
        f"SELECT 'b', {sanction_id}{nulls} FROM {sanction} "
        f"WHERE {sanction_user} = %s AND {kind} = %s AND {lifted} IS NULL"
    )
    return " UNION ALL ".join(parts)


def socket_heartbeat(*, user_id: int, open_ids) -> dict:
    """What a chat socket's heartbeat checks, in ONE query (a UNION of index lookups): whether a moderator
    has blocked the person, the companies they are a member of now, and for each of `open_ids` that they are
    still in, its latest message id, company, buyer and the names the presence line uses.

    Returns {"blocked": bool, "company_ids": set, "conversations": {id: (latest id, company id, buyer id,
    company name, buyer name)}}; conversations the person is not in (any more) are left out."""
    open_ids = [int(i) for i in open_ids]
    params: list = []
    if open_ids:
        params += [*open_ids, int(user_id), int(user_id)]
    params += [int(user_id), int(user_id), str(SanctionKind.BLOCK)]
    with connection.cursor() as cursor:
        cursor.execute(_heartbeat_sql(len(open_ids)), params)
        rows = cursor.fetchall()
    result = {"blocked": False, "company_ids": set(), "conversations": {}}
    for tag, key, latest, company_id, buyer_id, company, first, last in rows:
        if tag == "c":
            # Named as everywhere else (the account's __str__: never its e-mail address).
            name = str(get_user_model()(pk=buyer_id, first_name=first or "", last_name=last or ""))
            result["conversations"][key] = (latest, company_id, buyer_id, company, name)
        elif tag == "m":
            result["company_ids"].add(key)
        else:
            result["blocked"] = True
    return result
