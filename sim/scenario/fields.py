"""The field types every scenario model shares: ids, figures, dates, and the strict base.

A date is written ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (the schema parses it, so that a
bad date gets its field and line); every model forbids unknown fields and takes strict types.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

StateId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,3}$")]
Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")]
Text = Annotated[str, StringConstraints(min_length=1)]
Share = Annotated[float, Field(ge=0.0, le=1.0)]
Power = Annotated[float, Field(gt=0.0, le=1.0)]

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


def _to_date(value: Any) -> Any:
    """Accept a date, a year, ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and (match := _DATE.match(value.strip())):
        year, month, day = (int(g) if g else 1 for g in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            pass
    raise ValueError("expected a date as YYYY, YYYY-MM or YYYY-MM-DD")


Date = Annotated[dt.date, BeforeValidator(_to_date)]


class Strict(BaseModel):
    """Base of every scenario model: unknown fields are errors, types strict, values frozen.

    Strict types refuse what lax ones would convert: ``'2'`` for a whole number, ``'no'`` or
    ``1`` for a boolean, ``'0.5'`` for a figure. A whole number is still a figure (``1`` for
    ``1.0``), and a pair may be written as a YAML list.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


Latitude = Annotated[float, Field(ge=-90.0, le=90.0)]
Longitude = Annotated[float, Field(ge=-180.0, le=180.0)]
