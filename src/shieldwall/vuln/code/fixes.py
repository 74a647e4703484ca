"""Fix templates for common weaknesses, and the ``code-patch`` task every provider answers.

A remote model reads the task's instructions and answers with a unified diff. The local
provider (no network, no model) renders the same task from templates: for the finding's rule it
computes candidate rewrites of the flagged call (Python through ``ast``, so a rewrite replaces
exactly the call's source span; JavaScript on the flagged line), and answers the ``attempt``-th
candidate as a diff, or ``NO PATCH: <why>``. Candidates are ordered safest first; validation
(tests and a re-scan) decides which one is kept.

Where a template cannot know whether its rewrite keeps the program right, it says so in a
caveat that travels with the patch (``pickle`` -> ``json`` changes the data format; ``eval`` ->
``ast.literal_eval`` refuses expressions; MD5 -> SHA-256 changes stored digests).
"""

from __future__ import annotations

import ast
import difflib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from shieldwall.ai.skills import Skill
from shieldwall.core.errors import InputError

NO_PATCH = "NO PATCH:"
_SHELL_META = set("|&;<>()$`*?[]{}~!#'\"\\\n")


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    template: str
    description: str
    text: str  # the whole new file
    caveat: str | None = None


class _NoFix(Exception):
    """This template does not apply here; the message says why."""


# --- source positions -------------------------------------------------------------------------


class _Source:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.splitlines(keepends=True)
        self._starts = [0]
        for line in self.lines:
            self._starts.append(self._starts[-1] + len(line))
        try:
            self.tree: ast.Module | None = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError):
            self.tree = None

    def offset(self, lineno: int, col_byte: int) -> int:
        line = self.lines[lineno - 1] if lineno - 1 < len(self.lines) else ""
        col = len(line.encode("utf-8")[:col_byte].decode("utf-8", errors="ignore"))
        return self._starts[lineno - 1] + col

    def span(self, node: ast.AST) -> tuple[int, int]:
        end_line = getattr(node, "end_lineno", None) or node.lineno  # type: ignore[attr-defined]
        end_col = getattr(node, "end_col_offset", None) or 0
        start = self.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        return start, self.offset(end_line, end_col)

    def seg(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.text[start:end]

    def replace(self, node: ast.AST, new: str) -> str:
        start, end = self.span(node)
        return self.text[:start] + new + self.text[end:]


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _calls_on(src: _Source, line: int, names: set[str]) -> list[ast.Call]:
    """Calls whose callee (dotted, or its last part) is in ``names`` and that span ``line``."""
    if src.tree is None:
        raise _NoFix("the file does not parse, so no template can rewrite it")
    out: list[ast.Call] = []
    for node in ast.walk(src.tree):
        if not isinstance(node, ast.Call):
            continue
        name = _dotted(node.func)
        if name not in names and name.rsplit(".", 1)[-1] not in names:
            continue
        end = node.end_lineno or node.lineno
        if node.lineno <= line <= end:
            out.append(node)
    out.sort(key=lambda c: (c.lineno != line, c.col_offset))
    return out


def _call_text(
    src: _Source, call: ast.Call, *, func: str | None = None, args: list[str] | None = None,
    drop: frozenset[str] | set[str] = frozenset(), set_kw: Mapping[str, str] | None = None,
) -> str:  # fmt: skip
    parts = list(args) if args is not None else [src.seg(a) for a in call.args]
    set_kw = dict(set_kw or {})
    for kw in call.keywords:
        if kw.arg is None:
            parts.append("**" + src.seg(kw.value))
        elif kw.arg in drop:
            continue
        elif kw.arg in set_kw:
            parts.append(f"{kw.arg}={set_kw.pop(kw.arg)}")
        else:
            parts.append(f"{kw.arg}={src.seg(kw.value)}")
    parts += [f"{k}={v}" for k, v in set_kw.items()]
    return f"{func or src.seg(call.func)}({', '.join(parts)})"


def _with_import(text: str, module: str) -> str:
    """``text`` with ``import module`` added after the last top-level import, if missing."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return text
    for node in tree.body:
        if isinstance(node, ast.Import) and any(
            a.name == module and not a.asname for a in node.names
        ):
            return text
    last = 0
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            last = node.end_lineno or node.lineno
        elif last:
            break
    if not last and tree.body and isinstance(tree.body[0], ast.Expr):
        first = tree.body[0]
        if isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            last = first.end_lineno or first.lineno
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if "\r\n" in text else "\n"
    lines.insert(last, f"import {module}{newline}")
    return "".join(lines)


# --- command lines -> argument lists ------------------------------------------------------------


def _words_from_parts(parts: list[tuple[str, str | None]]) -> list[str]:
    """Literal text and expressions (``(text, None)`` / ``("", expr)``) split into argv items
    at literal whitespace, each rendered as Python source."""
    words: list[list[tuple[str, str | None]]] = [[]]
    for text, expr in parts:
        if expr is not None:
            words[-1].append(("", expr))
            continue
        if _SHELL_META & set(text):
            raise _NoFix(
                "the command uses shell syntax (quotes, pipes, redirections or variables), "
                "which an argument list cannot express"
            )
        chunks = re.split(r"(\s+)", text)
        for chunk in chunks:
            if not chunk:
                continue
            if chunk.isspace():
                words.append([])
            else:
                words[-1].append((chunk, None))
    out: list[str] = []
    for word in words:
        if not word:
            continue
        if all(e is None for _, e in word):
            out.append(repr("".join(t for t, _ in word)))
        elif len(word) == 1:
            out.append(f"str({word[0][1]})")
        else:
            body = "".join(
                t.replace("{", "{{").replace("}", "}}") if e is None else "{" + e + "}"
                for t, e in word
            )
            out.append("f" + repr(body))
    return out


def _command_parts(src: _Source, node: ast.expr) -> list[tuple[str, str | None]] | None:
    """A command string as literal text and expressions, or None if it is not built by
    concatenation or an f-string."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [(node.value, None)]
    if isinstance(node, ast.JoinedStr):
        parts: list[tuple[str, str | None]] = []
        for value in node.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                parts.append((value.value, None))
            elif isinstance(value, ast.FormattedValue) and value.format_spec is None:
                parts.append(("", src.seg(value.value)))
            else:
                return None
        return parts
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = _command_parts(src, node.left)
        right = _command_parts(src, node.right)
        if left is None or right is None:
            return None
        return left + right
    if isinstance(node, ast.expr):
        return [("", src.seg(node))]
    return None


def _argv_source(src: _Source, cmd: ast.expr) -> tuple[str, str | None, str | None]:
    """(list source, module to import, caveat) for a shell command expression."""
    parts = _command_parts(src, cmd)
    if parts is None:
        raise _NoFix("the command is built with % or .format(); rewrite it by hand")
    if len(parts) == 1 and parts[0][1] is not None:
        caveat = (
            f"shlex.split({parts[0][1]}) keeps the words of the command but not shell features "
            "(pipes, redirections, variables); the tests decide whether it relied on them"
        )
        return f"shlex.split({parts[0][1]})", "shlex", caveat
    words = _words_from_parts(parts)
    if not words:
        raise _NoFix("the command is empty")
    return "[" + ", ".join(words) + "]", None, None


# --- Python templates ---------------------------------------------------------------------------

Template = Callable[[_Source, int], list[Candidate]]


def _py_yaml(src: _Source, line: int) -> list[Candidate]:
    names = {"load", "load_all", "full_load", "full_load_all", "unsafe_load", "unsafe_load_all"}
    for call in _calls_on(src, line, names):
        func = src.seg(call.func)
        if "." not in func or not call.args:
            continue
        base, name = func.rsplit(".", 1)
        safe = "safe_load_all" if name.endswith("_all") else "safe_load"
        new = _call_text(
            src, call, func=f"{base}.{safe}", args=[src.seg(call.args[0])], drop={"Loader"}
        )
        return [
            Candidate(
                template="py-yaml-safe-load",
                description=f"{func}(...) -> {base}.{safe}(...)",
                text=src.replace(call, new),
            )
        ]
    raise _NoFix("no yaml.load call on the flagged line")


def _py_subprocess(src: _Source, line: int) -> list[Candidate]:
    for call in _calls_on(src, line, {"call", "run", "Popen", "check_call", "check_output"}):
        if not any(k.arg == "shell" for k in call.keywords):
            continue
        cmd_kw = next((k for k in call.keywords if k.arg == "args"), None)
        cmd = call.args[0] if call.args else (cmd_kw.value if cmd_kw else None)
        if cmd is None:
            continue
        argv, module, caveat = _argv_source(src, cmd)
        args = [argv, *(src.seg(a) for a in call.args[1:])] if call.args else []
        set_kw = {} if call.args else {"args": argv}
        new = _call_text(src, call, args=args, drop={"shell"}, set_kw=set_kw)
        text = src.replace(call, new)
        return [
            Candidate(
                template="py-subprocess-shell",
                description="shell=True command line -> argument list without a shell",
                text=_with_import(text, module) if module else text,
                caveat=caveat,
            )
        ]
    raise _NoFix("no subprocess call with shell= on the flagged line")


def _py_os_system(src: _Source, line: int) -> list[Candidate]:
    for call in _calls_on(src, line, {"os.system", "os.popen", "system", "popen"}):
        if not call.args:
            continue
        argv, module, caveat = _argv_source(src, call.args[0])
        name = _dotted(call.func).rsplit(".", 1)[-1]
        if name == "system":
            new = f"subprocess.run({argv}, check=False).returncode"
            target: ast.AST = call
        else:
            parent = _parent_read(src, call)
            if parent is None:
                raise _NoFix("os.popen's file object is used beyond .read(); rewrite it by hand")
            new = f"subprocess.run({argv}, capture_output=True, text=True, check=False).stdout"
            target = parent
        text = _with_import(src.replace(target, new), "subprocess")
        if module:
            text = _with_import(text, module)
        return [
            Candidate(
                template="py-os-system",
                description=f"os.{name}(command line) -> subprocess.run(argument list)",
                text=text,
                caveat=caveat,
            )
        ]
    raise _NoFix("no os.system/os.popen call on the flagged line")


def _parent_read(src: _Source, call: ast.Call) -> ast.Call | None:
    for node in ast.walk(src.tree) if src.tree else ():
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "read"
            and node.func.value is call
            and not node.args
        ):
            return node
    return None


def _py_weak_hash(src: _Source, line: int) -> list[Candidate]:
    for call in _calls_on(src, line, {"hashlib.md5", "hashlib.sha1", "hashlib.new", "md5", "sha1"}):
        func = src.seg(call.func)
        caveat = (
            "SHA-256 digests differ from MD5/SHA-1 ones: digests stored or exchanged before "
            "(file formats, caches, protocols) no longer match"
        )
        if func.endswith(".new") or func == "new":
            first = call.args[0] if call.args else None
            if not (
                isinstance(first, ast.Constant) and str(first.value).lower() in ("md5", "sha1")
            ):
                continue
            strong = src.replace(first, '"sha256"')
            quiet = src.replace(call, _call_text(src, call, set_kw={"usedforsecurity": "False"}))
        else:
            base = func.rsplit(".", 1)[0] + "." if "." in func else ""
            strong = src.replace(call, _call_text(src, call, func=f"{base}sha256"))
            quiet = src.replace(call, _call_text(src, call, set_kw={"usedforsecurity": "False"}))
        return [
            Candidate(
                template="py-weak-hash",
                description=f"{func} -> SHA-256",
                text=strong,
                caveat=caveat,
            ),
            Candidate(
                template="py-weak-hash",
                description=f"{func}(..., usedforsecurity=False): the digest is not a security "
                "control (kept because SHA-256 broke the tests)",
                text=quiet,
                caveat="only right if this digest protects nothing (a cache key, a checksum "
                "required by a file format); review that",
            ),
        ]
    raise _NoFix("no MD5/SHA-1 call on the flagged line")


def _py_tls(src: _Source, line: int) -> list[Candidate]:
    if src.tree is None:
        raise _NoFix("the file does not parse")
    for call in _calls_on(src, line, {"_create_unverified_context"}):
        return [
            Candidate(
                template="py-tls-verify",
                description="ssl._create_unverified_context() -> ssl.create_default_context()",
                text=src.replace(call, "ssl.create_default_context()"),
            )
        ]
    for node in ast.walk(src.tree):
        if isinstance(node, ast.Call) and node.lineno <= line <= (node.end_lineno or node.lineno):
            for kw in node.keywords:
                if (
                    kw.arg == "verify"
                    and isinstance(kw.value, ast.Constant)
                    and kw.value.value is False
                ):
                    return [
                        Candidate(
                            template="py-tls-verify",
                            description="verify=False -> verify=True",
                            text=src.replace(kw.value, "True"),
                        )
                    ]
        if isinstance(node, ast.Assign) and node.lineno == line:
            value = node.value
            if isinstance(value, ast.Constant) and value.value is False:
                return [
                    Candidate(
                        template="py-tls-verify",
                        description="... = False -> ... = True",
                        text=src.replace(value, "True"),
                    )
                ]
    raise _NoFix("no verify=False, check_hostname = False or unverified context on the line")


def _py_eval(src: _Source, line: int) -> list[Candidate]:
    for call in _calls_on(src, line, {"eval"}):
        if _dotted(call.func) != "eval" or len(call.args) != 1 or call.keywords:
            continue
        text = _with_import(src.replace(call.func, "ast.literal_eval"), "ast")
        return [
            Candidate(
                template="py-eval-literal",
                description="eval(x) -> ast.literal_eval(x)",
                text=text,
                caveat="ast.literal_eval reads only literals (numbers, strings, lists, dicts, "
                "...); input that relied on names or calls is now refused",
            )
        ]
    raise _NoFix("no one-argument eval() on the flagged line")


def _py_pickle(src: _Source, line: int) -> list[Candidate]:
    for call in _calls_on(
        src, line, {"pickle.load", "pickle.loads", "cPickle.load", "cPickle.loads"}
    ):
        func = src.seg(call.func)
        name = func.rsplit(".", 1)[-1]
        new = _call_text(
            src,
            call,
            func=f"json.{name}",
            args=[src.seg(call.args[0])] if call.args else None,
            drop={"encoding", "fix_imports", "errors", "buffers"},
        )
        return [
            Candidate(
                template="py-pickle-json",
                description=f"{func} -> json.{name}",
                text=_with_import(src.replace(call, new), "json"),
                caveat="whether JSON can carry this data is not decidable from the code: it "
                "holds only dicts, lists, strings, numbers, booleans and None, and whatever "
                "writes it must write JSON too (pickle.dump elsewhere is not changed). "
                "Passing tests are the only evidence; review it",
            )
        ]
    raise _NoFix("no pickle.load(s) call on the flagged line (dill, shelve, marshal: no template)")


def _sql_style(src: _Source) -> str | None:
    text = src.text
    if re.search(r"^\s*(import|from)\s+(sqlite3|aiosqlite)\b", text, re.M):
        return "?"
    if re.search(
        r"^\s*(import|from)\s+(psycopg2?|pymysql|MySQLdb|mysql\.connector|pg8000)\b", text, re.M
    ):
        return "%s"
    return None


def _py_sql(src: _Source, line: int) -> list[Candidate]:
    names = {"execute", "executemany", "executescript"}
    style = _sql_style(src)
    if style is None:
        raise _NoFix(
            "the driver's placeholder style (? or %s) is not decidable from this file's imports"
        )
    for call in _calls_on(src, line, names):
        if not call.args:
            continue
        if len(call.args) > 1:
            raise _NoFix("the call already passes parameters besides the built statement")
        query = call.args[0]
        params: list[str] = []
        pieces: list[str] = []
        if isinstance(query, ast.JoinedStr):
            for value in query.values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    pieces.append(value.value)
                elif isinstance(value, ast.FormattedValue) and value.format_spec is None:
                    pieces.append("\x00")
                    params.append(src.seg(value.value))
                else:
                    raise _NoFix("the f-string has format specifications")
        elif (
            isinstance(query, ast.BinOp)
            and isinstance(query.op, ast.Mod)
            and isinstance(query.left, ast.Constant)
            and isinstance(query.left.value, str)
        ):
            fmt = query.left.value
            if re.search(r"%\(|%[^sd%]", fmt):
                raise _NoFix("the % format uses named or non-%s/%d fields")
            pieces.append(re.sub(r"%[sd]", "\x00", fmt).replace("%%", "%"))
            right = query.right
            items = right.elts if isinstance(right, ast.Tuple) else [right]
            params = [src.seg(e) for e in items]
        else:
            raise _NoFix("the statement is not an f-string or a % format on this line")
        sql = "".join(pieces)
        sql = re.sub(r"'\x00'|\"\x00\"", "\x00", sql).replace("\x00", style)
        tuple_src = "(" + ", ".join(params) + ("," if len(params) == 1 else "") + ")"
        new = _call_text(src, call, args=[repr(sql), tuple_src])
        return [
            Candidate(
                template="py-sql-params",
                description=f"statement built by formatting -> fixed statement with {style} "
                "placeholders and parameters",
                text=src.replace(call, new),
                caveat="values that were table or column names cannot be parameters; the tests "
                "show whether any were",
            )
        ]
    raise _NoFix("no execute() call on the flagged line")


def _py_tar(src: _Source, line: int) -> list[Candidate]:
    for call in _calls_on(src, line, {"extractall", "extract"}):
        if any(k.arg == "filter" for k in call.keywords):
            continue
        return [
            Candidate(
                template="py-tar-filter",
                description='tar.extractall(...) -> tar.extractall(..., filter="data")',
                text=src.replace(call, _call_text(src, call, set_kw={"filter": '"data"'})),
                caveat='filter= needs Python 3.12 (or 3.11.4, 3.10.12, 3.9.17); "data" refuses '
                "links outside the target, device files and absolute names",
            )
        ]
    raise _NoFix("no tar extract call on the flagged line")


def _py_flask_debug(src: _Source, line: int) -> list[Candidate]:
    for call in _calls_on(src, line, {"run"}):
        if any(k.arg == "debug" for k in call.keywords):
            return [
                Candidate(
                    template="py-flask-debug",
                    description="app.run(debug=True) -> debug off "
                    "(use FLASK_DEBUG=1 in development)",
                    text=src.replace(call, _call_text(src, call, drop={"debug"})),
                )
            ]
    raise _NoFix("no app.run(debug=...) on the flagged line")


def _py_random(src: _Source, line: int) -> list[Candidate]:
    for call in _calls_on(
        src, line, {"random.choice", "random.randrange", "random.getrandbits", "random.choices"}
    ):
        name = _dotted(call.func).rsplit(".", 1)[-1]
        if name == "choice" and len(call.args) == 1:
            new = f"secrets.choice({src.seg(call.args[0])})"
        elif name == "randrange" and len(call.args) == 1:
            new = f"secrets.randbelow({src.seg(call.args[0])})"
        elif name == "getrandbits" and len(call.args) == 1:
            new = f"secrets.randbits({src.seg(call.args[0])})"
        elif name == "choices" and len(call.args) == 1 and [k.arg for k in call.keywords] == ["k"]:
            pop, k = src.seg(call.args[0]), src.seg(call.keywords[0].value)
            new = f"[secrets.choice({pop}) for _ in range({k})]"
        else:
            continue
        return [
            Candidate(
                template="py-random-secrets",
                description=f"random.{name} -> the secrets module",
                text=_with_import(src.replace(call, new), "secrets"),
            )
        ]
    raise _NoFix("no random.choice/choices/randrange/getrandbits call that secrets can replace")


# --- JavaScript templates (line-based) ---------------------------------------------------------


def _js_line(
    text: str,
    line: int,
    pattern: str,
    repl: str,
    *,
    template: str,
    description: str,
    caveat: str | None = None,
) -> list[Candidate]:
    lines = text.splitlines(keepends=True)
    if not 0 < line <= len(lines):
        raise _NoFix("the flagged line is not in the file")
    new, count = re.subn(pattern, repl, lines[line - 1], count=1)
    if not count:
        raise _NoFix("the flagged line does not have the expected shape")
    lines[line - 1] = new
    return [
        Candidate(template=template, description=description, text="".join(lines), caveat=caveat)
    ]


def _js_text_content(text: str, line: int) -> list[Candidate]:
    return _js_line(
        text, line, r"\.innerHTML(\s*)=(?!=)", r".textContent\1=",
        template="js-text-content", description=".innerHTML = value -> .textContent = value",
        caveat="markup in the value is now shown as text; if HTML is intended, sanitize it "
        "with DOMPurify instead",
    )  # fmt: skip


def _js_tls(text: str, line: int) -> list[Candidate]:
    for pattern, repl in (
        (r"(rejectUnauthorized\s*:\s*)false", r"\1true"),
        (r"(strictSSL\s*:\s*)false", r"\1true"),
        (r"(NODE_TLS_REJECT_UNAUTHORIZED\"?\]?\s*=\s*)(['\"]?)0\2", r"\1\g<2>1\2"),
    ):
        try:
            return _js_line(
                text,
                line,
                pattern,
                repl,
                template="js-tls-verify",
                description="certificate checking back on",
            )
        except _NoFix:
            continue
    raise _NoFix("no rejectUnauthorized/strictSSL/NODE_TLS_REJECT_UNAUTHORIZED on the line")


def _js_weak_hash(text: str, line: int) -> list[Candidate]:
    return _js_line(
        text, line, r"(create(?:Hash|Hmac)\(\s*)(['\"`])(?:md5|sha1|md4)\2", r"\1\2sha256\2",
        template="js-weak-hash", description="MD5/SHA-1 -> SHA-256",
        caveat="SHA-256 digests differ: digests stored before no longer match",
    )  # fmt: skip


def _js_buffer(text: str, line: int) -> list[Candidate]:
    first = _js_line(
        text, line, r"new Buffer\(", "Buffer.from(", template="js-buffer-from",
        description="new Buffer(value) -> Buffer.from(value)",
        caveat="Buffer.from takes a string, array or buffer; for a size use Buffer.alloc",
    )  # fmt: skip
    second = _js_line(
        text, line, r"(?:new Buffer|Buffer\.allocUnsafe(?:Slow)?)\(", "Buffer.alloc(",
        template="js-buffer-from", description="uninitialized buffer -> Buffer.alloc(size)",
    )  # fmt: skip
    return first + second if "new Buffer(" in text.splitlines()[line - 1] else second


def _js_eval(text: str, line: int) -> list[Candidate]:
    return _js_line(
        text, line, r"(?<![\w.])eval\(", "JSON.parse(", template="js-eval-json",
        description="eval(text) -> JSON.parse(text)",
        caveat="JSON.parse reads data only; text that held code or JavaScript-only literals "
        "is now refused",
    )  # fmt: skip


PY_TEMPLATES: dict[str, Template] = {
    "py-yaml-safe-load": _py_yaml,
    "py-subprocess-shell": _py_subprocess,
    "py-os-system": _py_os_system,
    "py-weak-hash": _py_weak_hash,
    "py-tls-verify": _py_tls,
    "py-eval-literal": _py_eval,
    "py-pickle-json": _py_pickle,
    "py-sql-params": _py_sql,
    "py-tar-filter": _py_tar,
    "py-flask-debug": _py_flask_debug,
    "py-random-secrets": _py_random,
}
JS_TEMPLATES: dict[str, Callable[[str, int], list[Candidate]]] = {
    "js-text-content": _js_text_content,
    "js-tls-verify": _js_tls,
    "js-weak-hash": _js_weak_hash,
    "js-buffer-from": _js_buffer,
    "js-eval-json": _js_eval,
}
# Bandit's tests that a template covers.
BANDIT_TEMPLATES = {
    "bandit.B506": "py-yaml-safe-load",
    "bandit.B602": "py-subprocess-shell",
    "bandit.B605": "py-os-system",
    "bandit.B324": "py-weak-hash",
    "bandit.B303": "py-weak-hash",
    "bandit.B501": "py-tls-verify",
    "bandit.B323": "py-tls-verify",
    "bandit.B307": "py-eval-literal",
    "bandit.B301": "py-pickle-json",
    "bandit.B608": "py-sql-params",
    "bandit.B202": "py-tar-filter",
    "bandit.B201": "py-flask-debug",
}


def template_for(rule: str, fix_template: str | None) -> str | None:
    return fix_template or BANDIT_TEMPLATES.get(rule)


def candidates(*, template: str | None, source: str, line: int) -> list[Candidate]:
    """Candidate rewrites of ``source`` for a finding on ``line``; raises InputError with the
    reason when there is none."""
    if template is None:
        raise InputError("no fix template covers this rule", code="vuln.patch.no_template")
    try:
        if template in PY_TEMPLATES:
            found = PY_TEMPLATES[template](_Source(source), line)
        elif template in JS_TEMPLATES:
            found = JS_TEMPLATES[template](source, line)
        else:
            raise _NoFix(f"unknown fix template {template!r}")
    except _NoFix as exc:
        raise InputError(str(exc), code="vuln.patch.no_template") from exc
    return [c for c in found if c.text != source]


def unified_diff(path: str, old: str, new: str) -> str:
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )


# --- the code-patch task ---------------------------------------------------------------------


def _render(payload: Mapping[str, Any], _budget: int | None) -> str:
    finding = payload.get("finding")
    source = payload.get("source")
    if not isinstance(finding, dict) or not isinstance(source, str):
        raise InputError(
            "code-patch needs 'finding' (an object) and 'source' (the file text)",
            code="ai.task_input",
        )
    attempt = payload.get("attempt", 1)
    if isinstance(attempt, bool) or not isinstance(attempt, int) or attempt < 1:
        raise InputError("code-patch: 'attempt' must be a positive integer", code="ai.task_input")
    location = finding.get("location") or {}
    path = str(location.get("file") or payload.get("file") or "")
    line = location.get("line")
    if not path or not isinstance(line, int):
        raise InputError(
            "code-patch: the finding needs location.file and location.line", code="ai.task_input"
        )
    template = template_for(str(finding.get("rule", "")), finding.get("fix_template"))
    try:
        found = candidates(template=template, source=source, line=line)
    except InputError as exc:
        return f"{NO_PATCH} {exc.message}"
    if attempt > len(found):
        tried = len(found)
        plural = "s" if tried != 1 else ""
        return f"{NO_PATCH} the {tried} candidate{plural} of {template} did not pass validation"
    chosen = found[attempt - 1]
    header = json.dumps(
        {"template": chosen.template, "description": chosen.description, "caveat": chosen.caveat},
        ensure_ascii=False,
    )
    return f"shieldwall-fix: {header}\n```diff\n{unified_diff(path, source, chosen.text)}```\n"


CODE_PATCH = Skill(
    name="code-patch",
    summary="a unified diff that fixes one security finding in one file",
    instructions=(
        "The JSON object below describes one security finding (`finding`: rule, CWE, message, "
        "location) in the file `finding.location.file`, whose full text is `source`. Write the "
        "smallest change that removes the weakness and keeps the program's behaviour. Answer "
        "with one unified diff only ('--- a/PATH', '+++ b/PATH', '@@' hunks with three lines "
        "of context), in a ```diff fenced block. Do not change tests, do not delete code to "
        "silence the finding, and do not add suppression comments. If `attempt` is above 1, "
        "`feedback` says why the previous patch was rejected. If you cannot fix it safely, "
        "answer `NO PATCH: <reason>`."
    ),
    render=_render,
)
