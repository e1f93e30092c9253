"""The record log: an append-only hash chain of facts the parties may later need to prove (docs/records.md).

Rows are written only by `exhibitors.records.services.record_append`; on PostgreSQL a trigger refuses UPDATE
and DELETE on `records_record`. Parties are plain ids, not foreign keys, so deleting a person or a company can
never cascade into the log.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class Record(models.Model):
    position = models.PositiveBigIntegerField(_("position"), unique=True)
    kind = models.CharField(_("kind"), max_length=60)
    # The entry exactly as hashed: RFC 8785 canonical JSON of {"facts", "kind", "position"}.
    canonical = models.TextField()
    created_at = models.DateTimeField(_("time"))
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # Who may download a receipt: these people, and the members of these companies.
    party_users = models.JSONField(default=list)
    party_companies = models.JSONField(default=list)
    # What the entry is about ("payments.order:12"), so pages can link to its receipt.
    subject = models.CharField(max_length=100, db_index=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("record")
        verbose_name_plural = _("records")
        constraints = [
            models.CheckConstraint(condition=models.Q(position__gte=1), name="record_position_positive")
        ]

    def __str__(self):
        return f"#{self.position} {self.kind}"


class RecordHead(models.Model):
    """One row (pk 1): the chain's last position and hash. Appending locks it, so appends queue up and the
    chain never forks."""

    position = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)


class RecordAnchor(models.Model):
    """The chain head as it stood once a day, published on the verification page for chambers to print."""

    day = models.DateField(unique=True)
    position = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day"]
