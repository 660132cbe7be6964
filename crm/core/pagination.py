"""Offset pagination that costs two statements: one count, one page."""

from dataclasses import dataclass
from math import ceil

from sqlalchemy import Select, func, select

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


def parse_page(value, default: int = 1) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


def paginate(statement: Select, page: int, per_page: int, *, scalars: bool = True) -> Page:
    total = db.session.execute(select(func.count()).select_from(statement.order_by(None).subquery())).scalar_one()
    page = min(max(1, page), max(1, ceil(total / per_page)))
    result = db.session.execute(statement.limit(per_page).offset((page - 1) * per_page))
    items = list(result.scalars().unique() if scalars else result.all())
    return Page(items=items, page=page, per_page=per_page, total=total)
