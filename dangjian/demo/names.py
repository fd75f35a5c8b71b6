"""Realistic Chinese names for generated people and places, drawn from the lists in data/.

Every draw goes through the `random.Random` passed in, so the same seed gives the same names.
"""

import bisect
import itertools
import random
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def _sections(filename: str) -> dict[str, list[str]]:
    """`[section]` headers followed by whitespace-separated items; `#` starts a comment."""
    out: dict[str, list[str]] = {}
    current = None
    for line in (DATA / filename).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = out.setdefault(line[1:-1], [])
        elif current is not None:
            current.extend(line.split())
    return out


@cache
def surnames() -> tuple[tuple[str, ...], tuple[float, ...]]:
    """(surnames, cumulative weights) in file order."""
    names, weights = [], []
    for line in (DATA / "surnames.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, weight = line.split()
            names.append(name)
            weights.append(float(weight))
    return tuple(names), tuple(itertools.accumulate(weights))


@cache
def given_chars() -> dict[str, tuple[str, ...]]:
    return {k: tuple(dict.fromkeys(v)) for k, v in _sections("given_names.txt").items()}


@cache
def place_chars() -> dict[str, tuple[str, ...]]:
    return {k: tuple(dict.fromkeys(v)) for k, v in _sections("places.txt").items()}


class Namer:
    """Draws names from one random stream."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self._surnames, self._cumulative = surnames()
        self._total = self._cumulative[-1]
        chars = given_chars()
        self._given = {
            ("m", False): chars["male classic"],
            ("m", True): chars["male modern"],
            ("f", False): chars["female classic"],
            ("f", True): chars["female modern"],
        }
        places = place_chars()
        self._place = places["place"]
        self._suffix = places["village suffix"]
        self._prefix = places["village prefix"]

    def surname(self) -> str:
        index = bisect.bisect_right(self._cumulative, self.rng.random() * self._total)
        return self._surnames[min(index, len(self._surnames) - 1)]

    def person(self, gender: str, birth_year: int) -> str:
        """Surname and a given name of one or two characters, in the style of the birth year."""
        rng = self.rng
        modern = birth_year >= 1985 and rng.random() < 0.7
        pool = self._given[(gender, modern)]
        single = rng.random() < (0.2 if modern else 0.35)
        given = rng.choice(pool) if single else rng.choice(pool) + rng.choice(pool)
        return self.surname() + given

    def village(self) -> str:
        """A village name such as 李楼, 后王庄 or 老君屯 (without 村)."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.6:
            return self.surname() + rng.choice(self._suffix)
        if roll < 0.85:
            return rng.choice(self._prefix) + self.surname() + rng.choice(self._suffix)
        return self.surname() + self.surname()[0] + rng.choice(self._suffix)

    def place(self) -> str:
        """A two-character place name for a generated county or township."""
        a, b = self.rng.sample(self._place, 2)
        return a + b
