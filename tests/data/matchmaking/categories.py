"""The goods categories the labels are written in (README.md, rule 1): each is a set of HS 2022 prefixes.

Labels depend only on this table and each buyer's `wants`; the scorer never reads either.
"""

CATEGORIES: dict[str, tuple[str, ...]] = {
    "coffee": ("0901", "2101"),
    "cocoa": ("18",),
    "andean-grains": ("100850", "100890", "1102", "1104", "120799", "100840"),
    "nuts": ("0801", "0802"),
    "fresh-fruit": ("0803", "0804", "0805", "0806", "0810"),
    "vegetables": ("0709",),
    "fruit-pulp-juice": ("0811", "2008", "2009"),
    "wine": ("2204",),
    "spirits": ("2208",),
    "flowers": ("0603",),
    "alpaca-wool": ("5102", "5105", "5108", "5109"),
    "apparel": ("61", "62", "6301", "6505"),
    "ceramics": ("69",),
    "jewellery": ("7113", "7117", "9602"),
    "straw-basketry": ("4602", "6504"),
    "cork": ("45",),
    "solar": ("8541", "8504", "8537"),
    "farm-machinery": ("8419", "8424", "8432", "8433", "8436"),
    "cosmetic-ingredients": ("1515", "3301", "3304"),
    "botanicals": ("1106", "1211", "2106"),
    "spices": ("0904", "0905", "0906", "0907", "0908", "0909", "0910"),
    "honey": ("0409",),
    "tea": ("0902",),
    "seafood": ("03", "1604", "1605"),
    "leather-goods": ("4202", "4203"),
    "furniture": ("94",),
    "handwoven-textiles": ("5805", "57"),
    "wood-crafts": ("4419", "4420", "4421"),
}


def categories_of(hs_code: str) -> set[str]:
    return {name for name, prefixes in CATEGORIES.items() if any(hs_code.startswith(p) for p in prefixes)}
