"""Integer parameters of the chat pages are read strictly: odd digits mean "not given", never a 500."""

import pytest
from django.urls import reverse

from fair.chat.models import ReadState

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("before", ["²", "1²", "99999999999999999999999", "-1", "abc"])
def test_conversation_page_odd_before_shows_latest_messages(client, conversation, chat_buyer, before):
    client.force_login(chat_buyer)

    response = client.get(reverse("chat:conversation", kwargs={"pk": conversation.pk}), {"before": before})

    assert response.status_code == 200


@pytest.mark.parametrize("up_to", ["²", "99999999999999999999999", "1e3"])
def test_mark_read_odd_up_to_marks_everything(client, conversation, chat_buyer, up_to):
    client.force_login(chat_buyer)

    response = client.post(reverse("chat:read", kwargs={"pk": conversation.pk}), {"up_to": up_to})

    assert response.status_code == 302
    assert ReadState.objects.filter(conversation=conversation, user=chat_buyer).count() <= 1
