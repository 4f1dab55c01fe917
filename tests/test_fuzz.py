"""Property tests: every parser we wrote answers or refuses arbitrary input, never crashes.

A small budget per target runs in CI; ``bench/fuzz.py`` is the long opt-in run over the same
targets (``wiretrace.fuzz``). Inputs are arbitrary bytes and seeds with arbitrary bytes spliced in.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wiretrace.fuzz import ALLOWED, SEEDS, TARGETS


def _inputs(name: str) -> st.SearchStrategy[bytes]:
    seeded = st.tuples(st.sampled_from(SEEDS[name]), st.integers(0, 400), st.binary(max_size=64))
    return st.one_of(
        st.binary(max_size=512),
        st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
        seeded.map(lambda s: s[0][: s[1]] + s[2] + s[0][s[1] :]),
    )


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_parser_never_crashes_on_arbitrary_input(name: str) -> None:
    target = TARGETS[name]

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_inputs(name))
    def check(data: bytes) -> None:
        with contextlib.suppress(ALLOWED):
            target(data)

    check()


def test_feed_that_crashed_feedparser_is_a_refusal() -> None:
    """Found by the long run: feedparser raised KeyError('links') inside parse()."""
    from pathlib import Path

    from wiretrace.errors import InputError
    from wiretrace.sources.feeds import iter_feed

    data = (Path(__file__).parent / "fixtures_fuzz" / "feed_keyerror_links.xml").read_bytes()
    items = list(iter_feed(data, "f.xml", None, 5))  # type: ignore[arg-type]
    assert items and all(isinstance(i, InputError) for i in items)
    TARGETS["feed"](data)


def test_an_attribution_line_of_control_separators_is_no_source() -> None:
    """Found by the long fuzz run (1 of 50,000 attribution inputs): a source part made only of
    characters str.split() counts as blanks (\\x1c-\\x1f) raised IndexError."""
    from wiretrace.stages.clean.attribution import parse_attribution

    parse_attribution("Source: \x1f", "en")
    parse_attribution("via \x1c\x1d", None)
    TARGETS["attribution"](b"\x02\xe8a Reute\xe2O\x02via \xd2euters\r\x97\xcf\xf4\x0c\x1f\x1c%F")
