"""Money: integer amounts in a currency's minor units, Stripe's units, and display in the reader's locale.

Feria stores every amount as an integer in the currency's minor units as CLDR defines them (Babel's
`get_currency_precision`: 2 for USD and EUR, 0 for JPY, CLP, ISK and XOF, 3 for KWD and BHD...). Stripe
counts some currencies differently; `to_stripe_amount` is the one place that converts, following Stripe's
currency rules (https://docs.stripe.com/currencies):

- zero-decimal currencies: the amount is in whole units (BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV
  XAF XOF XPF);
- three-decimal currencies (BHD JOD KWD OMR TND): thousandths, and the last digit must be 0;
- ISK: whole krónur, but still written with two decimals (5 ISK is 500);
- HUF and TWD: charged with two decimals (Stripe treats them as zero-decimal only for payouts, which Feria
  never creates); UGX is zero-decimal for charges, its special case likewise concerns payouts;
- every other currency: two decimals.
"""

from decimal import Decimal

from babel.numbers import format_currency, get_currency_precision
from django.utils.translation import get_language, to_locale

STRIPE_ZERO_DECIMAL = frozenset("BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF".split())
STRIPE_THREE_DECIMAL = frozenset("BHD JOD KWD OMR TND".split())
# Whole units written with two decimals for backwards compatibility.
STRIPE_TWO_DECIMAL_WHOLE = frozenset({"ISK"})


# The presentment currencies Stripe charges in (https://docs.stripe.com/currencies). Codes outside this list
# (XTS, XXX, precious metals, retired currencies...) are refused before anything is saved.
STRIPE_CURRENCIES = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BWP BYN BZD CAD CDF
    CHF CLP CNY COP CRC CVE CZK DJF DKK DOP DZD EGP ETB EUR FJD FKP GBP GEL GIP GMD GNF GTQ GYD HKD HNL HTG
    HUF IDR ILS INR ISK JMD JOD JPY KES KGS KHR KMF KRW KWD KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK
    MNT MOP MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB
    RWF SAR SBD SCR SEK SGD SHP SLE SOS SRD STD SZL THB TJS TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VND
    VUV WST XAF XCD XOF XPF YER ZAR ZMW
    """.split()
)
# Stripe's largest charge: eight digits in Stripe's units (99999999 is 999,999.99 USD), twelve for IDR.
STRIPE_MAX_AMOUNT = 99_999_999
STRIPE_MAX_AMOUNT_BY_CURRENCY = {"IDR": 999_999_999_999}


class AmountNotRepresentable(ValueError):
    """The amount cannot be sent to Stripe in this currency without changing it."""


def minor_unit_exponent(currency: str) -> int:
    """How many decimals Feria's minor units of `currency` have (CLDR's, through Babel)."""
    currency = currency.upper()
    if currency in STRIPE_ZERO_DECIMAL or currency in STRIPE_TWO_DECIMAL_WHOLE:
        return 0
    if currency in STRIPE_THREE_DECIMAL:
        return 3
    return get_currency_precision(currency)


def stripe_exponent(currency: str) -> int:
    currency = currency.upper()
    if currency in STRIPE_ZERO_DECIMAL:
        return 0
    if currency in STRIPE_THREE_DECIMAL:
        return 3
    return 2


def to_stripe_amount(amount: int, currency: str) -> int:
    """The integer Stripe expects for `amount` minor units of `currency` (raises AmountNotRepresentable)."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError("amounts are integers in minor units")
    if amount < 0:
        raise AmountNotRepresentable("amounts sent to Stripe are not negative")
    currency = currency.upper()
    shift = stripe_exponent(currency) - minor_unit_exponent(currency)
    if shift >= 0:
        result = amount * 10**shift
    else:
        factor = 10**-shift
        if amount % factor:
            raise AmountNotRepresentable(f"{amount} {currency} has more decimals than Stripe accepts")
        result = amount // factor
    if currency in STRIPE_THREE_DECIMAL and result % 10:
        raise AmountNotRepresentable(f"Stripe needs {currency} amounts that end in 0 (got {result})")
    if currency in STRIPE_TWO_DECIMAL_WHOLE and result % 100:
        raise AmountNotRepresentable(f"Stripe needs whole {currency} amounts")
    return result


def stripe_supports_currency(currency: str) -> bool:
    """Whether Stripe charges in this ISO code (upper case, as Feria stores it)."""
    return currency in STRIPE_CURRENCIES


def max_amount(currency: str) -> int:
    """The largest amount, in Feria's minor units, that Stripe charges in one payment in this currency."""
    currency = currency.upper()
    limit = STRIPE_MAX_AMOUNT_BY_CURRENCY.get(currency, STRIPE_MAX_AMOUNT)
    shift = stripe_exponent(currency) - minor_unit_exponent(currency)
    return limit // 10**shift if shift >= 0 else limit * 10**-shift


def from_stripe_amount(amount: int, currency: str) -> int:
    """The inverse of to_stripe_amount: Stripe's integer back into Feria's minor units."""
    currency = currency.upper()
    shift = stripe_exponent(currency) - minor_unit_exponent(currency)
    if shift >= 0:
        factor = 10**shift
        if amount % factor:
            raise AmountNotRepresentable(f"{amount} from Stripe is not a whole number of {currency} units")
        return amount // factor
    return amount * 10**-shift


def stripe_currency(currency: str) -> str:
    """Stripe wants ISO codes in lower case."""
    return currency.lower()


def to_decimal(amount: int, currency: str) -> Decimal:
    return Decimal(amount).scaleb(-minor_unit_exponent(currency))


def from_decimal(value: Decimal, currency: str) -> int:
    """Major units (as typed, e.g. Decimal("150.00")) into minor units; refuses extra decimals."""
    scaled = Decimal(value).scaleb(minor_unit_exponent(currency))
    if scaled != scaled.to_integral_value():
        raise AmountNotRepresentable(f"{value} has too many decimals for {currency}")
    return int(scaled)


def format_money(amount: int, currency: str, language: str | None = None) -> str:
    """`amount` minor units shown in the reader's language, e.g. "US$150.00", "150,00 €", "¥1,500"."""
    locale = to_locale(language or get_language() or "en")
    return format_currency(to_decimal(amount, currency), currency.upper(), locale=locale)
