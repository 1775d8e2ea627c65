"""How people are named in the directory and the roles, `platform:user_id`, and on which
platforms a role can be given: read by the admin commands, in chat and in the terminal, and by
the directory file's checker, so that all three accept the same names."""

from __future__ import annotations

import re

MEMBER = re.compile(r"[a-z]+:\S+")
"""How people are named in the directory and the roles: `platform:user_id`, matched whole (a
`$` would let a final line break through)."""


ROLE_PLATFORMS = ("slack", "teams", "matrix", "console")
"""Where someone given a role can act on it: the three chat platforms, and the terminal, where
the operating-system account is `console:NAME` (`boussole review`). A role given on any other
platform (`tchap:…`, `slak:…`) would wait for a person who can never come: a review routed to
nobody, an admin who cannot act."""


def is_member(text: str) -> bool:
    return MEMBER.fullmatch(text) is not None


def grantable(member: str) -> bool:
    """A member a role can be given to: named whole, on a platform where they can act."""
    return is_member(member) and member.partition(":")[0] in ROLE_PLATFORMS
