"""The demo seed's chat step: two conversations of the demo buyer, so the inboxes have something in them.

The buyer talks with the demo owner's company (started from its booth at the live fair; the buyer's last
question is still unread by the company) and with a second exhibitor (whose answer the buyer has not read).
Messages go through the chat services with fixed client ids, so a second run finds them and adds nothing.
"""

from cms.demo import data
from exhibitors.models import Company
from fair.chat.services.conversations import conversation_start, message_send

SECOND_COMPANY = "kallpa-cacao-peru"

# (client id, "buyer" or "company", text)
WITH_OWNER = (
    (
        "demo-chat-1",
        "buyer",
        "Hello! We import specialty coffee into Germany. Do you have washed Geisha from the next harvest?",
    ),
    (
        "demo-chat-2",
        "company",
        "Hello Katrin, yes: about 40 bags of washed Geisha from 1,800 m. Our price list: "
        "https://www.cafetalera-selva-alta.example/prices",
    ),
    ("demo-chat-3", "buyer", "Great. Could you send 3 samples of 200 g to our office in Hamburg?"),
)
WITH_SECOND = (
    ("demo-chat-4", "buyer", "Do you ship cacao nibs in mixed containers with other products?"),
    ("demo-chat-5", "company", "Yes, from 5 pallets, consolidated in Callao. Which volumes do you need?"),
)


class ChatSteps:
    def chat(self) -> None:
        buyer = self.people["buyer"]
        owner_company = Company.objects.get(slug=data.DEMO_OWNER_COMPANY)
        second = Company.objects.get(slug=SECOND_COMPANY)
        live = self.fairs["live"]
        self.conversation(
            buyer,
            owner_company,
            self.people["owner"],
            WITH_OWNER,
            booth=owner_company.booths.filter(fair=live).first(),
        )
        second_member = second.memberships.select_related("user").first().user
        self.conversation(
            buyer, second, second_member, WITH_SECOND, booth=second.booths.filter(fair=live).first()
        )

    def conversation(self, buyer, company, member, lines, *, booth) -> None:
        """Sending a message moves the sender's read mark to it: an answer marks what came before as read."""
        conversation = conversation_start(buyer=buyer, company=company, booth=booth)
        for client_id, side, text in lines:
            sender = buyer if side == "buyer" else member
            _message, created = message_send(
                conversation=conversation, sender=sender, client_id=client_id, body=text
            )
            if created:
                self.report.count("chat messages")
