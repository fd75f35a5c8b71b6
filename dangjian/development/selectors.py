"""Reads of development, scoped once here. A person in development has personal data (ID
number, phone): only those who manage the branch (or one above it) see candidacies. The
pipeline figures come from the roll-ups: any organization's, the root's included, is one
indexed read, and the level below is one more."""

import datetime

from django.db.models import Prefetch

from dangjian.accounts.scoping import get_visible_or_404, managed_q
from dangjian.core.periods import Period
from dangjian.members import selectors as member_selectors
from dangjian.orgs.models import Kind, Level, Officer, OfficerRole, Organization

from . import figures, rules
from .models import Candidacy, Cultivation, DevelopmentStep, Stage, StepFile

VILLAGE_LEVELS = (Level.VILLAGE, Level.COMMUNITY)
GRASSROOTS_KINDS = (Kind.BRANCH, Kind.JOINT_BRANCH, Kind.GENERAL_BRANCH, Kind.COMMITTEE)


def visible_candidacies(user):
    return Candidacy.objects.filter(managed_q(user, "organization__")).select_related(
        "organization", "member"
    )


def find_candidacy(user, pk) -> Candidacy:
    return get_visible_or_404(
        visible_candidacies(user).prefetch_related(
            Prefetch("steps", queryset=DevelopmentStep.objects.prefetch_related("people", "files"))
        ),
        pk=pk,
    )


def find_step_file(user, pk) -> StepFile:
    return get_visible_or_404(
        StepFile.objects.filter(managed_q(user, "step__candidacy__organization__")), pk=pk
    )


def visible_cultivations(user):
    return Cultivation.objects.filter(managed_q(user, "organization__")).select_related(
        "organization", "member"
    )


def in_subtree(qs, org):
    return qs.filter(organization__path__startswith=org.path) if org is not None else qs


# ---- figures -------------------------------------------------------------------------------


def pipeline(org) -> dict:
    """{"applicants", "activists", "candidates", "probationary"} over `org`'s subtree."""
    return figures.pipeline_of(figures.figures(org))


def pipeline_by_child(org) -> list[tuple]:
    """[(child, pipeline)] for the level below (one query for all)."""
    children = list(org.children().active())
    many = figures.of_many(children)
    return [(child, figures.pipeline_of(many[child.id])) for child in children]


def double_strong(org, figs=None) -> dict:
    """Double-strong (双强) counts over `org`'s subtree with their bases: secretaries of
    village and community organizations, their committee members (village cadres), rural
    members. The four cultivations' stages are nested: a secretary is also a cadre and a
    member."""
    figs = figs if figs is not None else figures.figures(org)

    def track(*stages):
        return sum(figs.get(f"development.track.{s}", 0) for s in stages)

    officers = Officer.objects.current().filter(
        organization__path__startswith=org.path, organization__level__in=VILLAGE_LEVELS
    )
    all_secretaries = officers.filter(role=OfficerRole.SECRETARY).count()
    all_cadres = officers.values("member_id").distinct().count()
    rural = figs.get("members.category.rural", 0)
    out = {
        "secretaries": track("secretary"),
        "all_secretaries": all_secretaries,
        "cadres": track("cadre", "secretary"),
        "all_cadres": all_cadres,
        "members": track("leader_member", "cadre", "secretary"),
        "rural_members": rural,
        "leaders": track("leader"),
    }
    out["secretaries_share"] = rules.share(out["secretaries"], all_secretaries)
    out["cadres_share"] = rules.share(out["cadres"], all_cadres)
    out["members_share"] = rules.share(out["members"], rural)
    return out


def development_figures(org, period: Period) -> dict:
    """The stats keys of development over `org`'s subtree: `pipeline` (rolled up: each count
    is the sum over the children plus the organization's own) and `double_strong`."""
    figs = figures.figures(org)
    return {"pipeline": figures.pipeline_of(figs), "double_strong": double_strong(org, figs)}


# ---- what is due ----------------------------------------------------------------------------


def talks_due(qs, today, s) -> list[Candidacy]:
    """Applicants still waiting for the talk (step 2), each with `deadline` set."""
    out = []
    for c in qs.filter(stage=Stage.APPLICANT, last_step=1).order_by("applied_on", "pk")[:200]:
        c.deadline = rules.talk_deadline(c.applied_on, s)
        c.late = c.deadline < today
        out.append(c)
    return out


def decisions_pending(qs, today, s, *, overdue_only=False) -> list[Candidacy]:
    """Candidacies waiting for the higher committee (admission after step 16, conversion
    after step 23), each with `deadline` and `late` set; soonest first."""
    out = []
    rows = qs.filter(last_step__in=(16, 23), ended_on__isnull=True).prefetch_related("steps")
    for c in rows[:500]:
        done = [
            rules.Done(x.number, x.done_on, x.outcome, x.extension_months) for x in c.steps.all()
        ]
        deadline = rules.decision_deadline(done, s)
        if deadline is None:
            continue
        c.deadline, c.late = deadline, deadline < today
        c.pending = rules.step_name(rules.next_number(done))
        if c.late or not overdue_only:
            out.append(c)
    return sorted(out, key=lambda c: (c.deadline, c.pk))


def conversions_due(user, org, today):
    """Probationary members of `org`'s subtree due or overdue for conversion (members')."""
    return member_selectors.conversions_due(
        org, today, members=member_selectors.visible_members(user)
    )


def ledger(user, org):
    """The rows of the development ledger (发展党员台账), with their steps."""
    return (
        in_subtree(visible_candidacies(user), org)
        .prefetch_related("steps")
        .order_by("organization__path", "applied_on", "pk")
    )


# ---- for weak organizations ----------------------------------------------------------------


def orgs_without_candidate(paths_or_qs, since: datetime.date):
    """The grassroots organizations (committees, general branches, branches, joint branches;
    not dissolved) under `paths_or_qs` — a list of paths, or a queryset of organizations
    whose subtrees count — where nobody has been listed as a candidate for development
    (step 7) on or after `since`. A queryset of Organization (DOMAIN.md: "2+ years without a
    development candidate")."""
    if isinstance(paths_or_qs, (list, tuple, set)):
        paths = list(paths_or_qs)
    else:
        paths = list(paths_or_qs.values_list("path", flat=True))
    from django.db.models import Q

    q = Q(pk__in=[])
    for p in paths:
        q |= Q(path__startswith=p)
    listed = DevelopmentStep.objects.filter(number=7, done_on__gte=since).values(
        "candidacy__organization_id"
    )
    return (
        Organization.objects.filter(q, kind__in=GRASSROOTS_KINDS, dissolved_on__isnull=True)
        .exclude(pk__in=listed)
        .order_by("path")
    )
