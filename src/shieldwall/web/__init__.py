"""Server-rendered pages for defenders and for individuals (Jinja2 templates, progressive
enhancement, a little hand-written JavaScript). Every page reaches capabilities through the
one door, as the visitor: signed in with a gateway account, or anonymous."""

from shieldwall.web.pages import router
from shieldwall.web.sessions import SessionCodec, WebSession

__all__ = ["SessionCodec", "WebSession", "router"]
