"""Channel-layer group names, made from database ids only."""


def user_group(user_id: int) -> str:
    """Every socket of one person (buyer or staff), all tabs and devices."""
    return f"chat.user.{int(user_id)}"


def company_group(company_id: int) -> str:
    """Every socket of every member of one exhibitor company."""
    return f"chat.company.{int(company_id)}"
