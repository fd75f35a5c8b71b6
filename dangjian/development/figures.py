"""The roll-up keys of development, kept by the services with each write and rebuilt from the
rows by `rollups.rebuild()` from the sources below (registered in DevelopmentConfig), so the
pipeline of any organization, the province's root included, is one indexed read.

    development.stage.applicant / activist / candidate     people in development now
    development.track.leader / member / leader_member / cadre / secretary
                                                            the four cultivations' current stages
Probationary members are counted by members ("members.status.probationary"), whatever way
they came in.
"""

from dangjian.rollups import services as rollups

from .models import Candidacy, Cultivation

OPEN_STAGES = ("applicant", "activist", "candidate")
TRACKS = ("leader", "member", "leader_member", "cadre", "secretary")


def candidacy_keys(c: Candidacy) -> list[str]:
    return [f"development.stage.{c.stage}"] if c.stage in OPEN_STAGES else []


def cultivation_keys(c: Cultivation) -> list[str]:
    return [f"development.track.{c.stage}"]


def changed(org, old, new) -> None:
    rollups.adjust(org, rollups.delta(old, new))


SOURCES = [
    rollups.Source(
        Candidacy._meta.db_table,
        "organization_id",
        ["'development.stage.' || r.stage"],
        "r.stage IN ('applicant', 'activist', 'candidate')",
    ),
    rollups.Source(
        Cultivation._meta.db_table, "organization_id", ["'development.track.' || r.stage"]
    ),
]

KEYS = (
    [f"development.stage.{s}" for s in OPEN_STAGES]
    + [f"development.track.{t}" for t in TRACKS]
    + ["members.status.probationary", "members.category.rural"]
)


def pipeline_of(figs: dict) -> dict:
    return {
        "applicants": figs.get("development.stage.applicant", 0),
        "activists": figs.get("development.stage.activist", 0),
        "candidates": figs.get("development.stage.candidate", 0),
        "probationary": figs.get("members.status.probationary", 0),
    }


def figures(org) -> dict:
    return rollups.figures(org, keys=KEYS)


def of_many(orgs) -> dict[int, dict]:
    return rollups.figures_of_many(orgs, KEYS)
