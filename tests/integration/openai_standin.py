"""A stand-in for a remote OpenAI-compatible service, which cannot exist on this machine.

A real HTTP server on 127.0.0.1 (an ephemeral port, stdlib ``ThreadingHTTPServer`` in a thread)
that speaks the OpenAI wire protocol: ``POST /v1/chat/completions`` (non-streaming JSON) and
``GET /v1/models``. It does not think: it replays the turns a test scripted, in order — a
:class:`Reply` (text and/or tool calls), an :class:`ErrorReply` (an HTTP error with an OpenAI
error body), a :class:`RawReply` (any bytes) or a :class:`Delay` before another turn — and it
records every request it received, so tests assert on what the SDK actually sent.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

STANDIN_MODEL = "standin-model"


@dataclass(frozen=True, slots=True, kw_only=True)
class ScriptedToolCall:
    id: str
    name: str
    arguments: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Reply:
    """A 200 chat completion. ``usage=None`` leaves the usage object out."""

    text: str | None = None
    tool_calls: tuple[ScriptedToolCall, ...] = ()
    finish_reason: str | None = None
    model: str = STANDIN_MODEL
    usage: tuple[int, int] | None = (10, 5)


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorReply:
    """An HTTP error with the OpenAI error JSON body."""

    status: int
    message: str
    type: str = "invalid_request_error"
    code: str | None = None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class RawReply:
    """Any status and body, for answers a real server should never give."""

    body: bytes
    status: int = 200
    content_type: str = "application/json"


@dataclass(frozen=True, slots=True, kw_only=True)
class Delay:
    """Wait ``seconds`` (or until the stand-in stops), then answer with ``then``."""

    seconds: float
    then: Turn


Turn = Reply | ErrorReply | RawReply | Delay


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    body: Any = None  # the decoded JSON, if any


@dataclass(slots=True)
class _State:
    turns: deque[Turn] = field(default_factory=deque)
    requests: list[ReceivedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)
    served: int = 0


def _completion_body(reply: Reply, number: int) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": reply.text}
    if reply.tool_calls:
        message["tool_calls"] = [
            {
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": call.arguments},
            }
            for call in reply.tool_calls
        ]
    finish = reply.finish_reason or ("tool_calls" if reply.tool_calls else "stop")
    body: dict[str, Any] = {
        "id": f"chatcmpl-standin-{number}",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": reply.model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
    }
    if reply.usage is not None:
        prompt, completion = reply.usage
        body["usage"] = {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        }
    return body


def _error_body(message: str, type_: str, code: str | None) -> bytes:
    error = {"message": message, "type": type_, "param": None, "code": code}
    return json.dumps({"error": error}).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read ``requests`` instead."""

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str = "application/json",
        headers: tuple[tuple[str, str], ...] = (),
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("x-request-id", f"req-standin-{self.server.state.served}")
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test); nothing to answer

    def _record(self, body: Any) -> None:
        state = self.server.state
        request = ReceivedRequest(
            method=self.command,
            path=self.path,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        with state.lock:
            state.requests.append(request)

    def do_GET(self) -> None:
        self._record(None)
        if self.path != "/v1/models":
            self._send(404, _error_body(f"no route {self.path}", "invalid_request_error", None))
            return
        data = [
            {"id": model, "object": "model", "created": 0, "owned_by": "standin"}
            for model in self.server.models
        ]
        self._send(200, json.dumps({"object": "list", "data": data}).encode())

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw)
        except ValueError:
            self._record(raw)
            self._send(400, _error_body("the body is not JSON", "invalid_request_error", None))
            return
        self._record(body)
        if self.path != "/v1/chat/completions":
            self._send(404, _error_body(f"no route {self.path}", "invalid_request_error", None))
            return
        if not isinstance(body, dict) or "model" not in body or "messages" not in body:
            message = "model and messages are required"
            self._send(400, _error_body(message, "invalid_request_error", None))
            return
        if body.get("stream"):
            message = "the stand-in does not stream"
            self._send(400, _error_body(message, "invalid_request_error", None))
            return
        state = self.server.state
        with state.lock:
            turn = state.turns.popleft() if state.turns else None
            state.served += 1
            number = state.served
        if turn is None:
            message = "stand-in: no scripted turn left"
            self._send(500, _error_body(message, "server_error", None), headers=_NO_RETRY)
            return
        self._play(turn, number)

    def _play(self, turn: Turn, number: int) -> None:
        match turn:
            case Delay(seconds=seconds, then=then):
                if self.server.state.stopping.wait(seconds):
                    return
                self._play(then, number)
            case Reply():
                self._send(200, json.dumps(_completion_body(turn, number)).encode())
            case ErrorReply(status=status, message=message, type=type_, code=code):
                self._send(status, _error_body(message, type_, code), headers=turn.headers)
            case RawReply(status=status, body=body, content_type=content_type):
                self._send(status, body, content_type)


_NO_RETRY = (("x-should-retry", "false"),)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, models: tuple[str, ...]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = _State()
        self.models = models


class OpenAIStandIn:
    """Start with ``with OpenAIStandIn() as standin:``; point a client at ``standin.base_url``."""

    def __init__(self, *, models: tuple[str, ...] = (STANDIN_MODEL,)) -> None:
        self._server = _Server(models)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def script(self, *turns: Turn) -> None:
        """Queue the answers to the next chat completions, in order."""
        with self._server.state.lock:
            self._server.state.turns.extend(turns)

    @property
    def requests(self) -> list[ReceivedRequest]:
        with self._server.state.lock:
            return list(self._server.state.requests)

    @property
    def chat_requests(self) -> list[ReceivedRequest]:
        return [r for r in self.requests if r.path == "/v1/chat/completions"]

    @property
    def unplayed(self) -> int:
        with self._server.state.lock:
            return len(self._server.state.turns)

    def __enter__(self) -> OpenAIStandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.state.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
