"""What every cases service shares: the permission check and the cleaning refusal."""

from gaoxin.core.cleaning import Cleaned
from gaoxin.core.errors import InvalidInput


def refuse_if_invalid(cleaned: Cleaned) -> dict:
    if cleaned.errors:
        raise InvalidInput(cleaned.errors)
    return cleaned.values
