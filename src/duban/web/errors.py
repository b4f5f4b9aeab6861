"""One error shape for the API (JSON with a code and a Chinese message) and one error page for people."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from duban.documents.errors import DocumentError
from duban.ledger.errors import (
    ConflictError,
    LedgerError,
    NotFoundError,
    PermissionDenied,
    TransitionError,
    ValidationError,
)
from duban.ledger.sessions import SessionEnded

log = logging.getLogger("duban.web")

# (status, code) per error class; the most specific class first
ERROR_CODES: list[tuple[type[Exception], int, str]] = [
    (SessionEnded, 401, "not_authenticated"),
    (PermissionDenied, 403, "forbidden"),
    (NotFoundError, 404, "not_found"),
    (ConflictError, 409, "conflict"),
    (TransitionError, 409, "invalid_transition"),
    (ValidationError, 422, "invalid_input"),
    (LedgerError, 400, "rejected"),
]
HTTP_MESSAGES = {
    400: "请求无效",
    401: "未登录或会话已结束，请重新登录",
    403: "无权访问",
    404: "页面或数据不存在",
    405: "不支持该操作",
    413: "文件过大",
    422: "输入无效",
}


class NotSignedIn(SessionEnded):
    """No session token at all: a first visit, not a session that ended."""


class PasswordChangeRequired(PermissionDenied):
    """The password is older than the policy allows: only changing it is possible."""


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(request: Request, status: int, code: str, message: str) -> Response:
    """JSON for the API; for pages a redirect to the login page or the error page."""
    if is_api(request):
        return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)
    if status == 401:
        target = f"/login?next={quote(str(request.url.path))}"
        return RedirectResponse(target + (f"&msg={quote(message)}" if message else ""), status_code=303)
    if code == "password_expired":
        return RedirectResponse("/password?expired=1", status_code=303)
    from duban.web.templating import render

    return render(request, "error.html", {"message": message, "status": status}, status_code=status)


def install(app: FastAPI) -> None:
    """Register the handlers: ledger and document errors, validation, HTTP errors, anything else."""

    @app.exception_handler(LedgerError)
    async def ledger_error(request: Request, exc: LedgerError) -> Response:
        if isinstance(exc, PasswordChangeRequired):
            return error_response(request, 403, "password_expired", str(exc))
        if isinstance(exc, NotSignedIn) and not is_api(request):  # the login page needs no notice then
            return error_response(request, 401, "not_authenticated", "")
        for cls, status, code in ERROR_CODES:
            if isinstance(exc, cls):
                return error_response(request, status, code, str(exc))
        return error_response(request, 400, "rejected", str(exc))

    @app.exception_handler(DocumentError)
    async def document_error(request: Request, exc: DocumentError) -> Response:
        log.info("document rejected: %s", exc)
        return error_response(request, 422, "bad_document", exc.user_message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for e in exc.errors()[:5]:
            where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("body", "query", "path", "form"))
            parts.append(f"{where or '请求'}：{_validation_message(e)}")
        return error_response(request, 422, "invalid_input", "输入无效：" + "；".join(parts))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) and _is_chinese(exc.detail) else None
        status = exc.status_code
        return error_response(
            request, status, f"http_{status}", message or HTTP_MESSAGES.get(status, "请求失败")
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "internal", "服务器内部错误，操作未完成，请稍后重试或联系管理员")


def _validation_message(err: dict) -> str:
    kind = err.get("type", "")
    if kind == "missing":
        return "必填"
    if kind.startswith(("int", "float")):
        return "应为数字"
    if kind.startswith("date"):
        return "日期格式应为 YYYY-MM-DD"
    if kind.startswith("string_too_long"):
        return "过长"
    return "格式不正确"


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
