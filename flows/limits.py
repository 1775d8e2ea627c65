"""How big a flow or answer file may be, so that reading and checking one is bounded.

Flow files come from admins, sometimes through chat, and answer files from whoever runs the
command line: either may be hostile (issue #12). Every limit below is far above what the
bundled flow needs (figures in brackets), so a real flow never meets one, while a crafted file
is refused early, with its line, before it can hold a thread or grow the memory.
"""

from __future__ import annotations

MAX_FLOW_BYTES = 1_000_000
"""Flow and answer files alike [the bundled flow: 96 KB]; read as at most this plus one
byte, so that /dev/zero or an endless pipe is refused without being read to its end."""

MAX_NESTING = 64
"""Collections inside collections, aliases expanded [18]. Checked while the YAML is composed,
before anything recurses on the document, so that `[[[[…` cannot overflow the stack."""

MAX_NODES = 30_000
"""Values (scalars and collections) in a document, each alias counted as the values it stands
for [3,700]: a "billion laughs" of nested aliases stops at this count, and so does a file
of a million tiny values, which would take seconds of parsing per 100,000."""

MAX_CONDITION_DEPTH = 24
"""Conditions inside conditions (`all`, `any`, `not`, `at_least`) [6]."""

MAX_CONDITION_NODES = 500
"""Operators and comparisons in one condition [24]."""

MAX_CONDITION_NODES_TOTAL = 5_000
"""Operators and comparisons in all the conditions of a flow [131]: every walk of the path
checks evaluates them, so their total bounds the cost of each walk."""

MAX_SECTIONS = 50
"""[10]"""

MAX_QUESTIONS = 300
"""In the whole flow [45]: the state machine has up to one transition per pair of questions."""

MAX_RULES = 300
"""In the whole flow [42]."""

MAX_CHOICES = 200
"""In one question [8]."""

MAX_STANDARD_CONDITIONS = 100
"""[4]"""

ANALYSIS_BUDGET = 10_000_000
"""Work units the path checks of `flows.analysis` may spend on one flow [850,000]: a unit is
one question stepped over or one condition operator evaluated on one walk. Counting work
rather than time makes the verdict the same on any machine, however loaded. A flow that needs
more is refused, since its paths could not all be checked; spending the whole budget takes
about three seconds of one core here."""
