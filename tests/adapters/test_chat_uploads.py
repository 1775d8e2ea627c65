"""The kit's upload admission at its trust boundary: whatever name, declared size and body a
sender makes up, the answer is a clear refusal or the admitted bytes, and never more than the
limit is read. Each platform's own path is tested through it in tests/adapters/*/ and
tests/security/test_held_flow_uploads.py."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.chat.messages import lookup
from adapters.chat.uploads import (
    Admission,
    Describe,
    Offered,
    TooBig,
    Unreachable,
    read_within,
)
from bot.admin import Admin, AdminReply
from bot.events import Actor
from flows.loader import MAX_FLOW_BYTES

LIMIT = 1000
CHUNK = 97
ACTOR = Actor("test", "U1")


def words(key: str, lang: str, **params: Any) -> str:
    return lookup({}, key, lang, **params)


@dataclass
class Gate:
    """`Admin.refusal`'s answer, set by the test: None lets the actor upload."""

    answer: AdminReply | None = None
    asked: int = 0

    def refusal(self, actor: Actor, action: str, lang: str, key: str | None) -> AdminReply | None:
        self.asked += 1
        return self.answer


@dataclass
class Body:
    """A sender's body: `size` bytes (None: it never ends), counting what the kit pulls."""

    size: int | None
    pulled: int = 0
    opened: bool = False
    closed: bool = False
    said: list[str] = field(default_factory=list)

    async def chunks(self) -> AsyncIterator[bytes]:
        self.opened = True
        try:
            while self.size is None or self.pulled < self.size:
                left = CHUNK if self.size is None else min(CHUNK, self.size - self.pulled)
                self.pulled += left
                yield b"a" * left
        finally:
            self.closed = True

    async def say(self, text: str) -> None:
        self.said.append(text)


def admit(
    offered: Offered | Describe,
    body: Body,
    gate: Gate | None = None,
    lang: str = "fr",
    **options: Any,
) -> bytes | None:
    admin = cast(Admin, gate or Gate())
    admission = Admission(admin, words, body.say, limit=options.pop("limit", LIMIT), **options)
    return asyncio.run(admission.admit(ACTOR, lang, "key", offered, body.chunks))


def _refused_or_admitted(content: bytes | None, body: Body) -> None:
    """One answer, never both, and at most one chunk pulled past the limit."""
    assert (content is None) == (len(body.said) == 1)
    assert content is None or body.said == []
    assert body.pulled <= LIMIT + CHUNK
    assert content is None or len(content) <= LIMIT
    assert not body.opened or body.closed


hostile_names = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "",
            ".yaml",
            "../../etc/passwd.yaml",
            "..\\..\\grille.yml",
            "grille.yaml.exe",
            "grille.yaml/",
            "grille.yaml\x00.txt",
            "grille.YAML",
            "grille.yaml ",
            "ｇｒｉｌｌｅ.ｙａｍｌ",
            "grille.yamł",
            "\u202egrille.lmay",
            "x" * 100_000 + ".yml",
        ]
    ),
    st.builds(lambda a, b: f"{a}.yaml{b}", st.text(max_size=20), st.text(min_size=1)),
)


@settings(max_examples=200, deadline=None)
@given(name=hostile_names)
def test_a_hostile_name_is_refused_unread_or_admitted_by_its_yaml_ending(name: str) -> None:
    body = Body(10)
    content = admit(Offered(name), body)
    _refused_or_admitted(content, body)
    if name.lower().endswith((".yaml", ".yml")):
        assert content == b"a" * 10
    else:
        assert content is None and not body.opened
        assert body.said == [words("upload_not_yaml", "fr", name=name)]


@settings(max_examples=200, deadline=None)
@given(
    declared=st.one_of(st.none(), st.integers(min_value=-(2**63), max_value=2**63)),
    size=st.integers(min_value=0, max_value=LIMIT * 3),
)
def test_a_wrongly_declared_size_never_lets_more_than_the_limit_in(
    declared: int | None, size: int
) -> None:
    body = Body(size)
    content = admit(Offered("grille.yaml", declared), body)
    _refused_or_admitted(content, body)
    too_big = words("upload_too_big", "fr", name="grille.yaml", max=LIMIT)
    if declared is not None and declared > LIMIT:
        assert body.said == [too_big] and not body.opened
    elif size > LIMIT:
        assert body.said == [too_big]
    else:
        assert content == b"a" * size


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_stream_that_never_ends_is_refused_one_chunk_past_the_limit(lang: str) -> None:
    body = Body(None)
    content = admit(Offered("grille.yml", 10), body, lang=lang, limit=MAX_FLOW_BYTES)
    assert content is None and body.closed
    assert MAX_FLOW_BYTES < body.pulled <= MAX_FLOW_BYTES + CHUNK
    assert body.said == [words("upload_too_big", lang, name="grille.yml", max=MAX_FLOW_BYTES)]


def test_a_non_admins_file_is_refused_before_anything_about_it_is_read() -> None:
    body = Body(None)
    gate = Gate(AdminReply("réservée aux administrateurs", ok=False))
    assert admit(Offered("../notes.txt", -1), body, gate) is None
    assert body.said == ["réservée aux administrateurs"] and not body.opened


def test_a_duplicate_refusal_is_said_unless_the_platform_keeps_duplicates_silent() -> None:
    twice = AdminReply("déjà traité", ok=False, duplicate=True)
    told, silent = Body(1), Body(1)
    admit(Offered("g.yaml"), told, Gate(twice))
    admit(Offered("g.yaml"), silent, Gate(twice), tell_duplicates=False)
    assert told.said == ["déjà traité"] and silent.said == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_download_the_platform_cannot_make_or_decode_is_said_in_the_readers_language(
    lang: str,
) -> None:
    async def broken() -> AsyncIterator[bytes]:
        yield b"id: "
        raise Unreachable("HTTP 404")

    def undecodable(data: bytes) -> bytes:
        raise Unreachable("bad key")

    expected = words("upload_unreachable", lang, name="g.yaml")
    for download, decode in ((broken, None), (Body(5).chunks, undecodable)):
        said: list[str] = []

        async def say(text: str, into: list[str] = said) -> None:
            into.append(text)

        admission = Admission(cast(Admin, Gate()), words, say)
        got = asyncio.run(admission.admit(ACTOR, lang, None, Offered("g.yaml"), download, decode))
        assert got is None and said == [expected]


def test_the_limit_applies_to_what_is_fetched_before_it_is_decoded() -> None:
    body = Body(LIMIT + 1)
    admission = Admission(cast(Admin, Gate()), words, body.say, limit=LIMIT)
    got = asyncio.run(admission.admit(ACTOR, "fr", None, Offered("g.yaml"), body.chunks, bytes))
    assert got is None and len(body.said) == 1


def test_a_content_length_over_the_limit_stops_the_download_as_too_big() -> None:
    async def declared() -> AsyncIterator[bytes]:
        raise TooBig(10**9)
        yield b""

    assert asyncio.run(_read(declared())) is None


async def _read(chunks: AsyncIterator[bytes]) -> bytes | None:
    try:
        return await read_within(chunks, LIMIT)
    except TooBig:
        return None


def test_a_platform_is_asked_about_the_file_only_once_the_person_may_upload() -> None:
    """Slack's files.info is a call to Slack with the bot's token: a non-admin's file is
    refused (and audited) before it, and a file the platform cannot describe is refused in
    the platform's words for an unreachable file."""
    asked: list[str] = []

    async def describe() -> Offered:
        asked.append("files.info")
        return Offered("g.yaml", 5, "yaml")

    async def unknown() -> Offered:
        raise Unreachable("file_not_found", name="F1")

    refused = Gate(AdminReply(text="non", ok=False))
    assert admit(describe, Body(5), refused) is None and asked == [] and refused.asked == 1
    assert admit(describe, Body(5)) == b"aaaaa" and asked == ["files.info"]
    body = Body(5)
    assert admit(unknown, body) is None and not body.opened
    assert body.said == [words("upload_unreachable", "fr", name="F1")]
