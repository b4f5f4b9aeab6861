"""At most `limit` requests inside the app at once; the rest wait at the door, first come first in.

Why: a request takes a pooled database connection at its first query (the session lookup, in the
thread pool) and keeps it until the request ends, and between its queries it waits for a thread
again (the route body, FastAPI's response validation). With more requests in flight than pooled
connections, every thread could be waiting for a connection held by a request that is itself
waiting for a thread: the server stops answering (seen at 50 clients on one worker). Admitting no
more requests than the pool lends connections (`db.ADMITTED`) makes that wait impossible, and the
queue at the door is fair where the pool's 30 s timeout was not.

Static files take no connection and pass.
"""

from __future__ import annotations

import anyio
from starlette.types import ASGIApp, Receive, Scope, Send


class Admission:
    """Pure ASGI middleware (a streamed download keeps its place until it is sent)."""

    def __init__(self, app: ASGIApp, limit: int, free_prefixes: tuple[str, ...] = ("/static/",)) -> None:
        self.app = app
        self.limit = limit
        self.free_prefixes = free_prefixes
        self._gate: anyio.CapacityLimiter | None = None  # made in the running event loop

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.free_prefixes):
            await self.app(scope, receive, send)
            return
        if self._gate is None:
            self._gate = anyio.CapacityLimiter(self.limit)
        async with self._gate:
            await self.app(scope, receive, send)
