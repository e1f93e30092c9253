"""Checking an upload takes bounded time whatever the file holds, and runs before the upload's transaction,
so one crafted image cannot hold the database's write lock while the rest of the site waits."""

import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from exhibitors.enums import MembershipRole
from exhibitors.models import ProductImage
from exhibitors.uploads import UploadRefused, image_check
from fair.chat.models import Message
from tests.factories.exhibitors import CompanyFactory, MembershipFactory, ProductFactory, UserFactory
from tests.factories.uploads import gif_with_empty_comments, jpeg_of_markers, png_of_chunks, upload

# 2.79 million empty comment blocks: 8.37 MB, just under the 8 MiB image limit.
MALICIOUS_GIF = gif_with_empty_comments(2_790_000)


def timed_check(data: bytes, name: str) -> tuple[UploadRefused | None, float]:
    started = time.monotonic()
    try:
        image_check(upload(data, name=name))
    except UploadRefused as refused:
        return refused, time.monotonic() - started
    return None, time.monotonic() - started


def test_image_check_gif_of_empty_comment_blocks_refused_within_a_second():
    assert len(MALICIOUS_GIF) < 8 * 1024 * 1024

    refused, seconds = timed_check(MALICIOUS_GIF, "evil.gif")

    assert seconds < 1
    assert refused is not None and refused.code == "image_too_complex"
    assert "too many separate parts" in refused.messages[0]


def test_image_check_jpeg_of_empty_segments_refused_within_a_second():
    refused, seconds = timed_check(jpeg_of_markers(2_000_000), "evil.jpg")

    assert seconds < 1
    assert refused is not None and refused.code == "image_too_complex"


def test_image_check_png_of_empty_chunks_refused_within_a_second():
    refused, seconds = timed_check(png_of_chunks(600_000), "evil.png")

    assert seconds < 1
    assert refused is not None and refused.code == "image_too_complex"


def test_image_check_a_few_extra_blocks_still_accepted():
    assert image_check(upload(gif_with_empty_comments(50), name="ok.gif")).frames == 1
    assert image_check(upload(png_of_chunks(50), name="ok.png")).kind == "png"


def test_image_check_animation_over_frame_cap_refused(settings):
    import io

    from PIL import Image as PILImage

    settings.FERIA_MAX_IMAGE_FRAMES = 3
    frames = [PILImage.new("RGB", (8, 8), color) for color in ("red", "green", "blue", "white")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)

    with pytest.raises(UploadRefused) as caught:
        image_check(upload(buffer.getvalue(), name="anim.gif"))

    assert caught.value.code == "image_too_many_frames"
    assert "more than 3 frames" in caught.value.messages[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_malicious_gifs_at_once_leave_the_chat_working():
    """Two uploads of the crafted GIF at once, while a buyer sends a chat message: all answer within a
    second; the uploads are refused and saved nothing; the message is stored."""
    from fair.chat.services.conversations import conversation_start

    company = CompanyFactory()
    exhibitor = UserFactory()
    MembershipFactory(user=exhibitor, company=company, role=MembershipRole.OWNER)
    product = ProductFactory(company=company)
    buyer = UserFactory()
    conversation = conversation_start(buyer=buyer, company=company)
    url = reverse("product_image_add", kwargs={"product_id": product.pk})
    answers: list[int] = []
    errors: list[BaseException] = []

    def post_gif():
        try:
            client = Client()
            client.force_login(exhibitor)
            answers.append(client.post(url, {"image": upload(MALICIOUS_GIF, name="evil.gif")}).status_code)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()  # the thread's own connection (with PostgreSQL, back to the pool)

    def send_message():
        try:
            client = Client()
            client.force_login(buyer)
            response = client.post(
                reverse("chat:send", kwargs={"pk": conversation.pk}),
                {"body": "Do you ship to Lima?", "client_id": "c0ffee00-0000-4000-8000-000000000001"},
            )
            answers.append(response.status_code)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post_gif), threading.Thread(target=post_gif)]
    threads.append(threading.Thread(target=send_message))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    elapsed = time.monotonic() - started

    assert errors == []
    assert elapsed < 3  # about 0.1 s each; before, one GIF kept the write lock for 15-28 s
    assert sorted(answers) == [200, 200, 302]  # two refusals shown on the form, one message sent
    assert not ProductImage.objects.filter(product=product).exists()
    assert Message.objects.get(conversation=conversation).body == "Do you ship to Lima?"
