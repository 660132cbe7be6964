"""Offset pagination that costs two statements: one count, one page."""

from dataclasses import dataclass
from math import ceil

from sqlalchemy import Integer, Select, bindparam, func, select

from crm.extensions import db


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


# Beyond any list's last page, and small enough that page × page size stays a valid OFFSET on every database.
MAX_PAGE = 1_000_000


def parse_page(value, default: int = 1) -> int:
    try:
        return min(max(1, int(value)), MAX_PAGE)
    except (TypeError, ValueError):
        return default


class PagedStatement:
    """A statement ready for offset pagination: itself, its count, and its page with bound limit and offset.

    Keep one for a statement that is expensive to build and to fingerprint for SQLAlchemy's cache; the
    values then travel as parameters.
    """

    def __init__(self, statement: Select):
        self.statement = statement
        self.count = select(func.count()).select_from(statement.order_by(None).subquery())
        self.rows = statement.limit(bindparam("page_limit", type_=Integer())).offset(
            bindparam("page_offset", type_=Integer())
        )

    def page(self, params: dict, page: int, per_page: int, *, scalars: bool = True) -> Page:
        total = db.session.execute(self.count, params).scalar_one()
        page = min(max(1, page), max(1, ceil(total / per_page)))
        bounds = {"page_limit": per_page, "page_offset": (page - 1) * per_page}
        result = db.session.execute(self.rows, {**params, **bounds})
        items = list(result.scalars().unique() if scalars else result.all())
        return Page(items=items, page=page, per_page=per_page, total=total)


def paginate(statement: Select, page: int, per_page: int, *, scalars: bool = True) -> Page:
    return PagedStatement(statement).page({}, page, per_page, scalars=scalars)
