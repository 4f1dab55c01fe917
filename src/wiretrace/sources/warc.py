"""Web archives (WARC): every HTML response record becomes a page, with its target URI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from ..model import RawPage


def iter_warc(path: Path, max_bytes: int) -> Iterator[RawPage | InputError]:
    """HTML responses of a (possibly gzipped) WARC file; other records are passed over."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    found = n = 0
    try:
        with path.open("rb") as fh:
            for n, record in enumerate(ArchiveIterator(fh), 1):
                if record.rec_type is None:
                    raise ValueError(f"record {n} has no WARC-Type")
                if record.rec_type != "response":
                    continue
                ctype = (
                    record.http_headers.get_header("Content-Type") if record.http_headers else ""
                )
                if ctype and "html" not in ctype.lower():
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                if not url:
                    yield InputError(f"{path}#{n}", "response record has no WARC-Target-URI")
                    continue
                data = record.content_stream().read(max_bytes + 1)
                if len(data) > max_bytes:
                    yield InputError(f"{path}#{n}", f"record for {url} is over the size limit")
                    continue
                found += 1
                yield RawPage(data=data, kind="html", source_path=str(path), url=url, line=n)
    except (ArchiveLoadFailed, OSError, ValueError) as exc:
        yield InputError(str(path), f"not a readable WARC archive ({exc})")
        return
    except Exception as exc:  # warcio trips over malformed records (no target URI, bad headers)
        yield InputError(f"{path}#{n + 1}", f"malformed WARC record ({type(exc).__name__}: {exc})")
        return
    if not found:
        yield InputError(str(path), "WARC archive holds no HTML response records")
