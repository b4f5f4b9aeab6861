"""What every CLI command shares: the consoles, error handling, the session, the actor, parsed options.

Errors are one Chinese line on stderr and exit 1; the services commit once per use case, so a
failed command leaves nothing half-written.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table


class LazyConsole:
    """A rich Console made on first use, so that `duban --help` does not import rich (~50 ms).

    Piped or redirected output is not wrapped at rich's default 80 columns: a line of a file
    should be a line of the output.
    """

    def __init__(self, *, stderr: bool = False, **options: Any) -> None:
        self._stderr = stderr
        self._options = options
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        """The Console itself, for rich objects that take one (Progress)."""
        if self._console is None:
            from rich.console import Console

            stream = sys.stderr if self._stderr else sys.stdout
            wide = not stream.isatty() and "COLUMNS" not in os.environ
            options = {"soft_wrap": wide, "width": 1000 if wide else None} | self._options
            self._console = Console(stderr=self._stderr, **options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.console, name)


err = LazyConsole(stderr=True)
out = LazyConsole()


def escape(text: str) -> str:
    """rich.markup.escape, imported when first needed."""
    from rich.markup import escape

    return escape(text)


@functools.cache
def _adapter(cls: type) -> Any:  # noqa: ANN401
    from pydantic import TypeAdapter

    return TypeAdapter(cls)


def jsonable(obj: Any) -> Any:  # noqa: ANN401
    """A read model (pydantic model or dataclass) as the API answers it: computed names, aliases, ISO dates."""
    return _adapter(type(obj)).dump_python(obj, mode="json", by_alias=True)


def generated_password() -> str:
    """16 random characters with every class the password policy knows (shown once to its owner)."""
    import secrets
    import string

    alphabet = string.ascii_letters + string.digits
    core = "".join(secrets.choice(alphabet) for _ in range(13))
    return core + secrets.choice(string.ascii_uppercase) + secrets.choice(string.digits) + "#"


def new_table(*args: Any, **kwargs: Any) -> Table:
    from rich.table import Table

    return Table(*args, **kwargs)


AsUser = Annotated[str | None, typer.Option("--as", help="以该用户身份操作（默认：系统管理员）")]
Fmt = Annotated[str, typer.Option("--format", help="输出格式：table 或 json")]


def log_to_file() -> None:
    """Send the duban loggers to <data dir>/duban.log: a trace is for the maintainers, and the
    terminal shows the file's one Chinese line (Python would print an unhandled log's trace)."""
    logger = logging.getLogger("duban")
    if logger.handlers:
        return
    from duban.ledger.db import data_dir

    try:
        directory = data_dir()
        directory.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(directory / "duban.log", encoding="utf-8", delay=True)
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)


def fail(message: str) -> None:
    err.print(f"[red]错误：[/red]{message}", highlight=False, markup=True)
    raise typer.Exit(1)


def handled(fn):  # noqa: ANN001, ANN201
    """Turn ledger and input errors into one Chinese line and exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        from sqlalchemy.exc import OperationalError, SQLAlchemyError

        from duban.documents import DocumentError
        from duban.ledger.errors import LedgerError

        try:
            return fn(*args, **kwargs)
        except DocumentError as exc:
            fail(exc.user_message)
        except LedgerError as exc:
            fail(str(exc))
        except OperationalError as exc:
            fail(f"无法访问数据库：{str(exc.orig).splitlines()[0] if exc.orig else exc}")
        except SQLAlchemyError as exc:
            fail(f"数据库错误，未保存任何更改：{exc.__class__.__name__}")
        except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
            fail(f"无法读取文件：{exc.filename}")
        except ValueError as exc:
            fail(f"输入无效：{exc}")

    return wrapper


_FACTORIES: dict = {}


def open_session():  # noqa: ANN202
    """A session on the configured database, upgraded to the newest migration once per process."""
    from duban.ledger.db import database_url, open_ledger

    url = database_url()
    if url not in _FACTORIES:
        _FACTORIES[url] = open_ledger(url)
    return _FACTORIES[url]()


def dispose_sessions() -> None:
    """Close pooled connections (after a restore they may hold the old database file)."""
    for factory in _FACTORIES.values():
        factory.kw["bind"].dispose()


def actor_of(session, username: str | None):  # noqa: ANN001, ANN202
    from duban.ledger.users import SYSTEM, actor_for

    return actor_for(session, username=username) if username else SYSTEM


def parse_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def unit_id_of(session, name: str) -> int:  # noqa: ANN001
    from duban.ledger.users import get_unit

    return get_unit(session, name=name).id


def parse_now(text: str | None) -> datetime | None:
    """--now for testing and backfilling (local time); the environment DUBAN_NOW works too."""
    from duban.ledger.clock import to_utc

    text = text or os.environ.get("DUBAN_NOW")
    if not text:
        return None
    try:
        return to_utc(datetime.fromisoformat(text))
    except ValueError:
        raise ValueError(f"时间格式应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM：{text}") from None
