"""FX rates as the ECB publishes its reference rates: a CSV of rates per 1 EUR, newest
business day first, with no rows on TARGET holidays. A random walk from the fixed levels of
FX_BASE, drawn from its own generator (seed, 99991) so it shifts no account's numbers.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

FX_BASE = (
    ("USD", 1.16, 4),
    ("JPY", 172.0, 2),
    ("BGN", 1.9558, 4),
    ("CZK", 24.3, 3),
    ("DKK", 7.46, 4),
    ("GBP", 0.865, 5),
    ("HUF", 390.0, 2),
    ("PLN", 4.25, 4),
    ("RON", 5.08, 4),
    ("SEK", 11.0, 4),
    ("CHF", 0.935, 4),
    ("ISK", 143.0, 2),
    ("NOK", 11.7, 4),
    ("TRY", 48.0, 4),
    ("AUD", 1.77, 4),
    ("BRL", 6.3, 4),
    ("CAD", 1.61, 4),
    ("CNY", 8.3, 4),
    ("HKD", 9.05, 4),
    ("IDR", 19300.0, 2),
    ("ILS", 3.9, 4),
    ("INR", 102.0, 4),
    ("KRW", 1650.0, 2),
    ("MXN", 21.5, 4),
    ("MYR", 4.9, 4),
    ("NZD", 2.0, 4),
    ("PHP", 67.0, 3),
    ("SGD", 1.5, 4),
    ("THB", 37.5, 3),
    ("ZAR", 20.3, 4),
)


def _easter(year: int) -> date:
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _target_closed(day: date) -> bool:
    """TARGET holidays, on which the ECB publishes no reference rates."""
    easter = _easter(day.year)
    fixed = {(1, 1), (5, 1), (12, 25), (12, 26)}
    return (
        day.weekday() >= 5
        or (day.month, day.day) in fixed
        or day in (easter - timedelta(days=2), easter + timedelta(days=1))
    )


def fx_csv(first: date, last: date, seed: int) -> str:
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    days = [d for d in days if not _target_closed(d)]
    rng = np.random.default_rng([seed, 99991])
    steps = rng.normal(0, 0.003, (len(days), len(FX_BASE)))
    steps[:, 2] = 0.0  # the lev is pegged
    levels = np.exp(np.cumsum(steps, axis=0)) * np.array([b for _, b, _ in FX_BASE])
    header = "Date," + ",".join(code for code, _, _ in FX_BASE) + ","
    lines = [header]
    for i in range(len(days) - 1, -1, -1):
        values = ",".join(f"{levels[i, j]:.{places}f}" for j, (_, _, places) in enumerate(FX_BASE))
        lines.append(f"{days[i].isoformat()},{values},")
    return "\n".join(lines) + "\n"
