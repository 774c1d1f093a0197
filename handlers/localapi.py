"""An in-process Bot API: a `BaseRequest` that records every call and answers it.

It is the network boundary only — the Application, handlers, JobQueue and SQLite above it are
the real code. The local demo uses it, and so do the tests. It behaves like Telegram where the
handlers rely on it: message ids per chat, "message is not modified" on an identical edit, and
injectable failures (403, 429 with retry_after, network errors) per method or chat.
"""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field
from typing import Any

from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData

from bot.clock import Clock
from handlers.download import CHUNK

BOT_USER = {
    "id": 777000111,
    "is_bot": True,
    "first_name": "GreenCheck",
    "username": "GreenCheckDemoBot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    files: dict[str, bytes] = field(default_factory=dict)  # uploaded files by part name
    file_names: dict[str, str] = field(default_factory=dict)  # their names, by part name


Failure = Callable[[Call], tuple[int, dict[str, Any]] | None]

# Telegram's HTML parse mode: these tags and attributes only (core.telegram.org/bots/api#html-style).
TAGS: dict[str, frozenset[str]] = {
    **dict.fromkeys(["b", "strong", "i", "em", "u", "ins", "s", "strike", "del"], frozenset()),
    "span": frozenset({"class"}),
    "tg-spoiler": frozenset(),
    "a": frozenset({"href"}),
    "tg-emoji": frozenset({"emoji-id"}),
    "code": frozenset({"class"}),
    "pre": frozenset(),
    "blockquote": frozenset({"expandable"}),
}
TEXT_LIMIT = 4096  # UTF-16 code units after entity parsing
CAPTION_LIMIT = 1024
ALERT_LIMIT = 200
_TAG = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[A-Za-z-]+(?:=(?:\"[^\"]*\"|'[^']*'|[^\s>]*))?)*)\s*>"
)
_ATTR = re.compile(r"([A-Za-z-]+)(?:=(?:\"[^\"]*\"|'[^']*'|[^\s>]*))?")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")
_SPECIAL = re.compile(r"[<&]")


class EntityError(ValueError):
    """Text that Telegram's HTML parser refuses; the message is its error description."""


def parse_html(text: str) -> str:
    """Return the plain text Telegram shows for `text` in HTML mode, or raise EntityError.

    Refuses what Telegram refuses: unsupported tags (a literal `<community>`), attributes a tag
    cannot have, end tags without a start, tags left open, and a stray `<`. Stricter than
    Telegram on one point: a bare `&` that starts no entity is refused, as it means unescaped data.
    """
    out: list[str] = []
    stack: list[str] = []
    i = 0
    for special in _SPECIAL.finditer(text):  # plain runs are copied whole, not char by char
        at = special.start()
        if at < i:
            continue  # inside a tag or entity already consumed
        out.append(text[i:at])
        if special.group() == "&":
            m = _ENTITY.match(text, at)
            if m is None:
                raise EntityError(f"Can't parse entities: unescaped '&' at byte offset {at}")
            out.append(html.unescape(m.group()))
        else:
            m = _TAG.match(text, at)
            if m is None:
                raise EntityError(f"Can't parse entities: unexpected '<' at byte offset {at}")
            _tag(m, stack, at)
        i = m.end()
    out.append(text[i:])
    if stack:
        raise EntityError(
            f"Can't parse entities: can't find end tag corresponding to start tag \"{stack[-1]}\""
        )
    return "".join(out)


def _tag(m: re.Match[str], stack: list[str], at: int) -> None:
    closing, name, attrs = m.group(1), m.group(2).lower(), m.group(3)
    if name not in TAGS:
        raise EntityError(
            f'Can\'t parse entities: unsupported start tag "{name}" at byte offset {at}'
        )
    if closing:
        if not stack or stack[-1] != name:
            raise EntityError(
                f'Can\'t parse entities: unmatched end tag "{name}" at byte offset {at}'
            )
        stack.pop()
        return
    for attr in _ATTR.finditer(attrs):
        if attr.group(1).lower() not in TAGS[name]:
            raise EntityError(
                f'Can\'t parse entities: bad attribute of tag "{name}" at byte offset {at}'
            )
    stack.append(name)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class LocalBotAPI(BaseRequest):
    """Record Bot API calls and answer them like Telegram would."""

    def __init__(self, clock: Clock, on_call: Callable[[Call], None] | None = None) -> None:
        self.clock = clock  # message dates
        self.calls: list[Call] = []
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.next_id: dict[int, int] = {}
        self.force_replies: set[tuple[int, int]] = set()  # prompts sent with ForceReply
        self.answered: set[str] = set()  # callback query ids already answered
        self.fail: Failure | None = None  # return (status, body) to fail a call, or None
        self.on_call = on_call
        self.files: dict[str, bytes] = {}  # file_id -> bytes served by getFile + the file URL
        self.served = 0  # bytes of files streamed so far
        self.declared: dict[str, int | None] = {}  # file_id -> the size getFile says (default:
        # the true one)

    # -- BaseRequest ------------------------------------------------------------------------

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        call = Call(name, params)
        if request_data is not None and request_data.contains_files:
            for part, value in request_data.multipart_data.items():
                content = value[1] if isinstance(value, tuple) else value
                call.files[part] = content if isinstance(content, bytes) else content.read()
                if isinstance(value, tuple) and value[0]:
                    call.file_names[part] = str(value[0])
        if self.fail is not None:
            failed = self.fail(call)
            if failed is not None:
                status, body = failed
                if status == 0:
                    raise NetworkError("simulated network error")
                self.calls.append(call)
                return status, json.dumps(body).encode()
        self.calls.append(call)
        if self.on_call:
            self.on_call(call)
        result = self.answer(call)
        if isinstance(result, tuple):
            status, body = result
            return status, json.dumps(body).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()

    # -- answers ----------------------------------------------------------------------------

    def _message(self, chat_id: int, params: dict[str, Any], **extra: Any) -> dict[str, Any]:
        mid = self.next_id.get(chat_id, 1000) + 1
        self.next_id[chat_id] = mid
        chat_type = "private" if chat_id > 0 else "supergroup"
        msg: dict[str, Any] = {
            "message_id": mid,
            "date": int(self.clock.read().timestamp()),
            "chat": {"id": chat_id, "type": chat_type, "title": None if chat_id > 0 else "Group"},
            "from": BOT_USER,
            **extra,
        }
        if "text" in params:
            msg["text"] = params["text"]
        markup = _load(params.get("reply_markup"))
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            msg["reply_markup"] = markup  # Telegram echoes inline keyboards only
        if "caption" in params:
            msg["caption"] = params["caption"]
        self.messages[(chat_id, mid)] = msg
        if isinstance(markup, dict) and markup.get("force_reply"):
            self.force_replies.add((chat_id, mid))
        return msg

    def _violation(self, call: Call) -> tuple[int, dict[str, Any]] | None:
        """Refuse what Telegram refuses: bad HTML, long texts, long callback data or alerts,
        a query answered twice."""
        p = call.params
        for key, limit in (("text", TEXT_LIMIT), ("caption", CAPTION_LIMIT)):
            refused = _check_text(p.get(key), p.get("parse_mode"), limit, key)
            if refused is not None:
                return refused
        markup = _load(p.get("reply_markup"))
        if isinstance(markup, dict):
            for row in markup.get("inline_keyboard", []):
                for button in row:
                    if len(button.get("callback_data", "").encode()) > 64:
                        return _bad("Bad Request: BUTTON_DATA_INVALID")
        if call.method == "answerCallbackQuery":
            return self._check_answer(p)
        return None

    def _check_answer(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        alert = p.get("text")
        if isinstance(alert, str) and len(alert) > ALERT_LIMIT:
            return _bad("Bad Request: MESSAGE_TOO_LONG")
        qid = str(p.get("callback_query_id"))
        if qid in self.answered:
            return _bad(
                "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        self.answered.add(qid)
        return None

    def answer(self, call: Call) -> Any:
        p = call.params
        m = call.method
        refused = self._violation(call)
        if refused is not None:
            return refused
        if m == "getMe":
            return BOT_USER
        if m == "sendMessage":
            return self._message(int(p["chat_id"]), p)
        if m in ("sendDocument", "sendPhoto"):
            kind = "document" if m == "sendDocument" else "photo"
            media: Any = {"file_id": f"f{len(self.calls)}", "file_unique_id": f"u{len(self.calls)}"}
            if kind == "photo":
                media = [media | {"width": 1200, "height": 700}]
            return self._message(int(p["chat_id"]), p, **{kind: media})
        if m in ("editMessageText", "editMessageReplyMarkup"):
            key = (int(p["chat_id"]), int(p["message_id"]))
            old = self.messages.get(key)
            if old is None:
                return 400, {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: message to edit not found",
                }
            new = dict(old)
            if "text" in p:
                new["text"] = p["text"]
            new["reply_markup"] = _load(p["reply_markup"]) if "reply_markup" in p else None
            if new.get("text") == old.get("text") and new.get("reply_markup") == old.get(
                "reply_markup"
            ):
                return 400, {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: message is not modified: specified new message"
                    " content and reply markup are exactly the same as a current content and"
                    " reply markup of the message",
                }
            if new.get("reply_markup") is None:
                new.pop("reply_markup", None)
            self.messages[key] = new
            return new
        if m == "deleteMessage":
            gone = self.messages.pop((int(p["chat_id"]), int(p["message_id"])), None)
            return True if gone else _bad("Bad Request: message to delete not found")
        if m == "getUpdates":
            return []
        if m == "getFile":
            return self._get_file(str(p.get("file_id")))
        return True

    def _get_file(self, file_id: str) -> Any:
        data = self.files.get(file_id)
        if data is None:
            return {"file_id": file_id, "file_unique_id": "x", "file_path": "local/file"}
        size = self.declared.get(file_id, len(data))  # None: no size, as Telegram may answer
        found = {"file_id": file_id, "file_unique_id": f"u-{file_id}", "file_size": size,
                 "file_path": f"files/{file_id}"}  # fmt: skip
        return {k: v for k, v in found.items() if v is not None}

    async def chunks(self, url: str) -> AsyncGenerator[bytes, None]:
        """Stream a file URL (`<base_file_url>/files/<file_id>`) from `files` in CHUNK-sized
        pieces, as a file server does; `served` counts the bytes handed out (a download that
        stops early takes fewer). `fail` fails it like any call (method "download")."""
        call = Call("download", {"url": url})
        self.calls.append(call)
        if self.fail is not None and self.fail(call) is not None:
            raise NetworkError("simulated network error")
        file_id = url.rsplit("/", 1)[-1]
        data = self.files.get(file_id) if "/files/" in url else None
        if data is None:
            raise NetworkError("download: HTTP 404")
        for at in range(0, len(data), CHUNK):
            piece = data[at : at + CHUNK]
            self.served += len(piece)
            yield piece

    # -- helpers for tests and the demo --------------------------------------------------------

    def sent(self, method: str | None = None) -> list[Call]:
        return [c for c in self.calls if method is None or c.method == method]

    def last(self, method: str) -> Call:
        for c in reversed(self.calls):
            if c.method == method:
                return c
        raise LookupError(f"no {method} call recorded")


def _check_text(
    value: Any, parse_mode: Any, limit: int, key: str
) -> tuple[int, dict[str, Any]] | None:
    if not isinstance(value, str):
        return None
    plain = value
    if parse_mode == "HTML":
        try:
            plain = parse_html(value)
        except EntityError as exc:
            return _bad(f"Bad Request: {exc}")
    if utf16_len(plain) > limit:
        return _bad(f"Bad Request: message {'caption ' if key == 'caption' else ''}is too long")
    if key == "text" and not plain.strip():
        return _bad("Bad Request: message text is empty")
    return None


def _bad(description: str) -> tuple[int, dict[str, Any]]:
    return 400, {"ok": False, "error_code": 400, "description": description}


def _load(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value
