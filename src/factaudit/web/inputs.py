"""Request input → :class:`AuditRequest`: exactly one of pasted text, an uploaded file or an http(s)
URL (vetted at once by :func:`factaudit.net.vet_url`), from JSON, a form or a raw body."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import PurePosixPath
from typing import Any

from fastapi import Request
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from ..batch import item_meta
from ..errors import UnsupportedFormatError
from ..net import vet_url
from .deps import AppState
from .errors import ApiError, validation_message
from .jobs import AuditRequest
from .schemas import AuditIn

__all__ = [
    "RAW_TYPES",
    "REFUSED_UPLOAD_PREFIXES",
    "build_request",
    "form_str",
    "is_large",
    "read_api_input",
    "safe_name",
]

#: Raw request bodies accepted by POST /api/audits besides JSON and forms (the body is the article).
RAW_TYPES = {
    "text/plain": ".txt",
    "text/markdown": ".md",
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/pdf": ".pdf",
}
#: Declared upload types refused before reading (the bytes are sniffed anyway).
REFUSED_UPLOAD_PREFIXES = (
    "image/",
    "audio/",
    "video/",
    "font/",
    "application/zip",
    "application/x-",
    "application/java",
    "application/vnd.",
)


def safe_name(filename: str | None, default: str = "upload") -> str:
    """The base name of an uploaded file, reduced to safe characters (a label, never a path)."""
    base = PurePosixPath((filename or "").replace("\\", "/")).name
    base = re.sub(r"[^A-Za-z0-9._ -]+", "_", base).strip(" ._")[:100]
    return base or default


async def _precheck_url(url: str) -> str:
    """Refuse non-http(s), malformed and private/loopback/link-local targets at once (4xx).

    The fetch itself (factaudit.net, in the worker) checks again at connection time, redirects
    included, and connects to the vetted address only (no DNS rebinding).
    """
    return str(await asyncio.to_thread(vet_url, url.strip()))


async def build_request(text: Any, url: Any, upload: Any, name: str | None) -> AuditRequest:
    """Exactly one of text, URL or an uploaded file → an :class:`AuditRequest`."""
    text = text if isinstance(text, str) and text.strip() else None
    url = url.strip() if isinstance(url, str) and url.strip() else None
    upload = upload if isinstance(upload, UploadFile) and (upload.filename or upload.size) else None
    given = [k for k, v in (("text", text), ("url", url), ("file", upload)) if v is not None]
    if not given:
        raise ApiError(422, "no_input", "give the article as text, a file or an http(s) URL")
    if len(given) > 1:
        raise ApiError(422, "ambiguous_input", f"give only one of text, file or URL (got {', '.join(given)})")
    label = safe_name(name, "") if name else ""
    if text is not None:
        return AuditRequest(kind="text", name=label or "pasted text", data=text.encode("utf-8", "replace"))
    if url is not None:
        return AuditRequest(kind="url", name=url, url=await _precheck_url(url))
    assert isinstance(upload, UploadFile)
    ctype = (upload.content_type or "").split(";")[0].strip().lower()
    if ctype.startswith(REFUSED_UPLOAD_PREFIXES) and ctype not in RAW_TYPES:
        raise UnsupportedFormatError(
            f"uploads of type {ctype} are not audited; send text, Markdown, HTML or PDF"
        )
    data = await upload.read()
    await upload.close()
    return AuditRequest(kind="file", name=label or safe_name(upload.filename), data=data)


async def read_api_input(request: Request) -> AuditRequest:
    """POST /api/audits accepts JSON, a form (multipart or urlencoded), or the article as the body."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json" or ctype.endswith("+json"):
        try:
            payload = json.loads(await request.body())
        except RecursionError:  # [[[[... a few thousand deep: bad input, not a server fault
            raise ApiError(400, "bad_json", "the body is not usable JSON: nested too deeply") from None
        except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, an over-long integer
            detail = str(exc).split(";")[0]  # drop Python's advice on the integer digit limit
            raise ApiError(400, "bad_json", f"the body is not valid JSON: {detail}") from None
        try:
            body = AuditIn.model_validate(payload)
        except ValidationError as exc:
            raise ApiError(422, "invalid_request", validation_message(exc.errors())) from None
        request_ = await build_request(body.text, body.url, None, body.name)
        meta, problem = item_meta({"date": body.date, "outlet": body.outlet})
        if problem:
            raise ApiError(422, "invalid_request", f"the request {problem}")
        request_.meta = meta
        return request_
    if ctype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await request.form(max_files=2, max_fields=20)
        return await build_request(
            form.get("text"), form.get("url"), form.get("file"), form_str(form.get("name"))
        )
    if ctype in RAW_TYPES:
        data = await request.body()
        if not data.strip():
            raise ApiError(422, "no_input", "the request body is empty")
        return AuditRequest(kind="file", name=f"upload{RAW_TYPES[ctype]}", data=data)
    shown = ctype or "no content type"
    raise ApiError(
        415,
        "unsupported_media_type",
        f"{shown} is not accepted: send JSON, a multipart form, or text/plain, text/markdown, "
        "text/html or application/pdf",
    )


def form_str(value: Any) -> str | None:
    """A form field's value when it is a string (not an upload), else None."""
    return value if isinstance(value, str) else None


def is_large(st: AppState, req: AuditRequest) -> bool:
    """Whether ``req`` runs as a background job rather than while the request waits: every URL (its
    size is unknown until fetched) and inputs past ``sync_max_chars`` (markup and PDF: four times)."""
    if req.kind == "url":
        return True  # the size is unknown until fetched
    limit = st.settings.sync_max_chars
    if req.kind == "text":
        return len(req.data or b"") > limit and len((req.data or b"").decode("utf-8", "replace")) > limit
    plain = req.name.lower().endswith((".txt", ".text", ".md", ".markdown"))
    return req.size > (limit if plain else 4 * limit)  # markup and PDF bytes carry far less text

