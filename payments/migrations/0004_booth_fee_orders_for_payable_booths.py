"""Booth-fee orders used to be made when the company first opened its booth-fee page; now they are made when
the application or the package changes, and the page only reads. Make the order of every booth that owes a
fee and has none yet, as payments.services.booth_fees.booth_fee_order_ensure would."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations

PAYABLE = ("pending", "approved")


def make_missing_orders(apps, schema_editor):
    Booth = apps.get_model("exhibitors", "Booth")
    Order = apps.get_model("payments", "Order")
    OrderLine = apps.get_model("payments", "OrderLine")
    OrderTaxLine = apps.get_model("payments", "OrderTaxLine")
    TaxRate = apps.get_model("payments", "TaxRate")
    rates = list(TaxRate.objects.filter(active=True, applies_to_booth_fees=True).order_by("sort_order", "name"))
    booths = (
        Booth.objects.filter(package__price_amount__gt=0, application__status__in=PAYABLE)
        .exclude(payment_orders__kind="booth_fee")
        .select_related("package")
    )
    for booth in booths:
        net = booth.package.price_amount
        taxes = [
            (rate, int((Decimal(net) * rate.rate / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
            for rate in rates
        ]
        tax_total = sum(amount for _rate, amount in taxes)
        order = Order.objects.create(
            kind="booth_fee",
            fair_id=booth.fair_id,
            booth=booth,
            payer_company_id=booth.company_id,
            currency=booth.package.currency,
            net_amount=net,
            tax_amount=tax_total,
            total_amount=net + tax_total,
            reference=f"BF-{booth.fair_id}-{booth.pk}",
        )
        OrderLine.objects.create(order=order, description=booth.package.name[:200], unit_amount=net, amount=net)
        for index, (rate, amount) in enumerate(taxes):
            OrderTaxLine.objects.create(order=order, name=rate.name, rate=rate.rate, amount=amount, sort_order=index)


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0003_stripe_fee_excess_refunds_receipt_payments"),
        ("exhibitors", "0004_product_price_and_currency_constraints"),
    ]

    operations = [migrations.RunPython(make_missing_orders, migrations.RunPython.noop)]
