"""E-mail (.eml), as found in Woo releases: headers as a block, the text body, attachments noted."""

from __future__ import annotations

import email
import email.policy
import email.utils
from typing import Any

from docmine.errors import IngestError
from docmine.ingest.limits import Deadline, Limits
from docmine.ingest.parsed import Parsed


def parse_eml(path: str, data: bytes, limits: Limits | None = None, deadline: Deadline | None = None) -> Parsed:
    if not data.strip():
        raise IngestError(path, "empty e-mail file", "check that the message was exported completely")
    msg = email.message_from_bytes(data, policy=email.policy.default)
    subject = str(msg.get("Subject", "") or "").strip()
    sender = str(msg.get("From", "") or "").strip()
    if not subject and not sender and not msg.get("Date"):
        raise IngestError(path, "not an e-mail message (no headers)", "save the message as .eml from the mail client")
    date = None
    try:
        when = email.utils.parsedate_to_datetime(str(msg["Date"])) if msg.get("Date") else None
        date = when.date().isoformat() if when else None
    except (TypeError, ValueError, IndexError):
        date = None
    header_lines = [
        f"{label}: {value}"
        for label, key in (("Van", "From"), ("Aan", "To"), ("Cc", "Cc"), ("Datum", "Date"), ("Onderwerp", "Subject"))
        if (value := str(msg.get(key, "") or "").strip())
    ]
    body = _body(msg)
    parsed = Parsed(pages=[], title=subject, date=date, publisher=sender or None, doc_type="e-mail")
    attachments = [part.get_filename() for part in msg.iter_attachments() if part.get_filename()]
    if attachments:
        parsed.notes.append("attachments not ingested: " + ", ".join(str(a) for a in attachments))
    return parsed.paginate("\n".join(header_lines) + "\n\n" + body, limits, deadline)


def _body(msg: Any) -> str:
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeDecodeError):
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("latin-1")
    if part.get_content_subtype() == "html":
        from docmine.ingest.html import parse_html

        pages = parse_html("<body>", content.encode("utf-8")).pages
        return "\n\n".join(p.text for p in pages)
    return str(content).replace("\r\n", "\n").replace("\x00", "")
