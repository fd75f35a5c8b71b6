"""The roll-up keys of training, kept by the services with each write and rebuilt from the
rows by `rollups.rebuild()` from the sources below (registered in TrainingConfig):

    training.sessions.2026.county          sessions started in the year, by level (organizer)
    training.person_times.2026.county      attendances at them (organizer)
    training.lectures.2026                 sessions counted as Party lectures
    training.trained.2026                  members trained at least once (member's org)
    training.met.2026                      members whose hours reach the minimum

members below the minimum = members − training.met (both rolled up the same way), so the
count at any organization is the sum over its children plus its own, in one indexed read.
"""

from dangjian.rollups import services as rollups

from .models import Attendance, MemberYear, Session, TrainingLevel


def session_keys(s: Session) -> list[str]:
    keys = [f"training.sessions.{s.starts_on.year}.{s.level}"]
    if s.is_lecture:
        keys.append(f"training.lectures.{s.starts_on.year}")
    return keys


def person_time_key(year: int, level: str) -> str:
    return f"training.person_times.{year}.{level}"


def member_year_keys(row: MemberYear | None) -> list[str]:
    if row is None:
        return []
    keys = [f"training.trained.{row.year}"]
    if row.met:
        keys.append(f"training.met.{row.year}")
    return keys


def _t(model):
    return model._meta.db_table


TRUE = "r.is_lecture"  # a boolean column reads as such on both databases

SOURCES = [
    rollups.Source(
        _t(Session),
        "organization_id",
        ["'training.sessions.' || {year:r.starts_on} || '.' || r.level"],
    ),
    rollups.Source(
        _t(Session), "organization_id", ["'training.lectures.' || {year:r.starts_on}"], TRUE
    ),
    rollups.Source(
        _t(Attendance),
        "organization_id",
        ["'training.person_times.' || r.year || '.' || r.level"],
    ),
    rollups.Source(_t(MemberYear), "organization_id", ["'training.trained.' || r.year"]),
    rollups.Source(_t(MemberYear), "organization_id", ["'training.met.' || r.year"], "r.met"),
]


def year_keys(year: int) -> list[str]:
    keys = [f"training.sessions.{year}.{lv}" for lv in TrainingLevel.values]
    keys += [person_time_key(year, lv) for lv in TrainingLevel.values]
    keys += [f"training.lectures.{year}", f"training.trained.{year}", f"training.met.{year}"]
    return [*keys, "members"]


def year_figures(org, year: int) -> dict:
    return rollups.figures(org, keys=year_keys(year))


def of_many(orgs, year: int) -> dict[int, dict]:
    return rollups.figures_of_many(orgs, year_keys(year))


def summary(f: dict, year: int) -> dict:
    """The year's counts from raw roll-up figures."""
    sessions = {lv: f.get(f"training.sessions.{year}.{lv}", 0) for lv in TrainingLevel.values}
    person_times = {lv: f.get(person_time_key(year, lv), 0) for lv in TrainingLevel.values}
    members = f.get("members", 0)
    met = f.get(f"training.met.{year}", 0)
    return {
        "sessions": sum(sessions.values()),
        "sessions_by_level": sessions,
        "person_times": sum(person_times.values()),
        "person_times_by_level": person_times,
        "lectures": f.get(f"training.lectures.{year}", 0),
        "members": members,
        "trained": f.get(f"training.trained.{year}", 0),
        "met": met,
        "below": max(0, members - met),
    }
