"""Hostile flow and answer files, built in memory: what an outside attacker sent (issue #12).

Each is the bundled flow with one condition replaced, so that everything but the attack is a
valid flow, or a bare document for the attacks on the parser itself. `bench/hostile_flows.py`
measures the checker's time and memory on them; the tests in this folder check the refusals.
"""

from __future__ import annotations

from flows.loader import bundled_flow_bytes

BUNDLED = bundled_flow_bytes().decode("utf-8")
TARGET = "        when: {in: {C1-Q5: [oui, nsp]}}\n"
"""The condition of rule C1-R7, which the hostile conditions replace."""
TARGET_LINE = BUNDLED[: BUNDLED.index(TARGET)].count("\n") + 1


def with_condition(body: str) -> bytes:
    """The bundled flow with C1-R7's `when` replaced by `body` (the lines after `when:`)."""
    assert BUNDLED.count(TARGET) == 1
    return BUNDLED.replace(TARGET, f"        when:\n{body}").encode("utf-8")


def alias_bomb(levels: int = 9, width: int = 9) -> bytes:
    """A "billion laughs": each level lists the previous one `width` times, by alias, so the
    file stays small while the condition it stands for has width**levels leaves."""
    lines = ["          any:\n", "            - &l0 {equals: {C1-Q5: oui}}\n"]
    for level in range(1, levels + 1):
        aliases = ", ".join([f"*l{level - 1}"] * width)
        lines.append(f"            - &l{level} {{any: [{aliases}]}}\n")
    return with_condition("".join(lines))


def many_conditions(count: int = 56_000) -> bytes:
    """One rule whose condition lists `count` comparisons on one line: 56,000 make 1 MB."""
    return with_condition(f"          any: [{', '.join(['{answered: P1}'] * count)}]\n")


def heavy_rules(rules: int = 10, width: int = 490, item: str = "") -> bytes:
    """The most work the limits let through: `rules` rules over the whole triage (sampled,
    then searched for), each `at_least` of `width` comparisons that no path can satisfy
    (or of `item` repeated, when given)."""
    items = ", ".join(
        item or f"{{equals: {{C1-Q5: {('oui', 'non')[i % 2]}}}}}" for i in range(width)
    )
    added = "".join(
        f"      - id: G-Z{n}\n"
        f"        when: {{at_least: {{count: {width}, of: [{items}]}}}}\n"
        "        effect: full_review\n"
        "        explanation: {fr: Jamais., en: Never.}\n"
        '        reference: {fr: "[BP] Test", en: "[BP] Test"}\n'
        for n in range(rules)
    )
    marker = "      - id: G-R3\n"
    assert BUNDLED.count(marker) == 1
    return BUNDLED.replace(marker, added + marker).encode("utf-8")


def deep_condition(depth: int) -> bytes:
    """A condition nested `depth` times (`not` of `not` of …), on one line."""
    return with_condition(f"          {'{not: ' * depth}{{answered: P1}}{'}' * depth}\n")


def deep_brackets(depth: int) -> bytes:
    """A document that is only `depth` nested flow sequences: `[[[…]]]`."""
    return b"[" * depth + b"]" * depth


def deep_block_sequences(depth: int) -> bytes:
    """`depth` nested block sequences (`- - - …`), the indented form of the same attack."""
    return "".join(f"{'  ' * level}-\n" for level in range(depth)).encode("utf-8")


def deep_json_answers(depth: int) -> bytes:
    """An answer file whose first answer is nested `depth` lists deep."""
    return b'{"P1": ' + b"[" * depth + b"]" * depth + b"}"


def many_questions(count: int = 255) -> bytes:
    """`count` more questions at the end of C7, each asked on a condition, so that the state
    machine holds a transition from every question to every later one."""
    added = "".join(
        f"      - id: C7-X{n}\n"
        "        type: yes_no\n"
        "        ask_if: {answered: P1}\n"
        "        label: {fr: Encore ?, en: Again?}\n"
        "        why: {fr: Pour voir., en: To see.}\n"
        '        reference: {fr: "[BP] Test", en: "[BP] Test"}\n'
        for n in range(count)
    )
    marker = "    rules:\n      - id: C7-R1\n"
    assert BUNDLED.count(marker) == 1
    return BUNDLED.replace(marker, added + marker).encode("utf-8")
