"""The demo county's year of development: in each village and community branch a few
applicants of the year (talked to within the month), activists of last year, now and then a
candidate in training; the four cultivations' people at their stages. Written in bulk, the
roll-up keys adjusted once per branch. The 七一 admissions are demo/events.py's probationary
members (they count in the pipeline's `probationary` through members' own key)."""

import datetime
from collections import Counter

from dangjian.development.models import Candidacy, Cultivation, CultivationMove, DevelopmentStep
from dangjian.members.rules import make_id_number
from dangjian.rollups import services as rollups

DAY = datetime.timedelta(days=1)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "建国志强秀英丽娟明华伟红军平文杰玉兰海燕"


def _name(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)


def _working_day(day):
    while day.weekday() >= 5:
        day += DAY
    return day


def _cultivated(rng, org):
    """(stage, member or None) of a village's people on the four cultivations, about as seed
    003 counts them: 70% of secretaries and 48% of cadres double-strong, 25% of the rural
    members prosperity-leader members, and a few prosperity leaders not yet members."""
    out, seen = [], set()
    for seat in org.seats:
        if seat.member_id in seen:
            continue
        person = next((p for p in org.members if p.id == seat.member_id), None)
        if person is None:
            continue
        if seat.role == "secretary" and rng.random() < 0.7:
            out.append(("secretary", person))
            seen.add(person.id)
        elif seat.role != "secretary" and rng.random() < 0.45:
            out.append(("cadre", person))
            seen.add(person.id)
    for person in org.members:
        if person.id not in seen and rng.random() < 0.2:
            out.append(("leader_member", person))
    out += [("leader", None)] * rng.randint(0, 2)
    return out


def run(activity) -> None:
    w = activity.world
    last = activity.last
    rng = activity.rng(41)
    places = [
        o
        for o in w.orgs
        if o.kind in ("branch", "general_branch") and o.level in ("village", "community")
    ]
    if not places:
        return
    seq = 0
    made = Counter()
    cultivations = []
    people = []
    Through = DevelopmentStep.people.through
    for org in places:
        keys = Counter()
        for _i in range(rng.randint(1, 4)):
            seq += 1
            gender = "m" if rng.random() < 0.6 else "f"
            birth = datetime.date(rng.randint(1980, 2004), rng.randint(1, 12), rng.randint(1, 28))
            applied = _working_day(last - rng.randint(20, 700) * DAY)
            c = Candidacy.objects.create(
                organization_id=org.id,
                name=_name(rng),
                gender=gender,
                birth_date=birth,
                id_number=make_id_number("411499", birth, seq, gender),
                education=rng.choice(("secondary", "college", "university", "junior")),
                category="rural" if org.level == "village" else "worker",
                applied_on=applied,
            )
            steps = [(1, applied, {}), (2, applied + rng.randint(5, 25) * DAY, {})]
            activist = applied + rng.randint(60, 120) * DAY
            if activist <= last:
                notice = _working_day(activist - 12 * DAY)
                steps += [(3, activist, {"notice_from": notice}), (4, activist + 5 * DAY, {})]
                steps += [(5, activist + 6 * DAY, {}), (6, activist + 180 * DAY, {})]
            candidate = activist + 366 * DAY
            if candidate <= last and rng.random() < 0.5:
                notice = _working_day(candidate - 14 * DAY)
                steps += [(7, candidate, {"notice_from": notice}), (8, candidate + 3 * DAY, {})]
                steps += [(9, candidate + 5 * DAY, {}), (10, candidate + 20 * DAY, {})]
                steps += [(11, candidate + 30 * DAY, {"hours": 24, "days": 3})]
            steps = [s for s in steps if s[1] <= last]
            full = [p for p in org.members if p.status == "full"]
            if len(full) < 2:  # no mentors and sponsors to be had: the way stops at step 4
                steps = [s for s in steps if s[0] < 5]
            rows = DevelopmentStep.objects.bulk_create(
                [DevelopmentStep(candidacy=c, number=n, done_on=d, **x) for n, d, x in steps]
            )
            for row in rows:
                if row.number in (5, 9) and len(full) >= 2:
                    for p in rng.sample(full, 1 if row.number == 5 else 2):
                        people.append(Through(developmentstep_id=row.pk, member_id=p.id))
            top = max(n for n, _d, _x in steps)
            c.last_step = top
            c.stage = "applicant" if top < 3 else "activist" if top < 7 else "candidate"
            c.save(update_fields=["last_step", "stage"])
            keys[f"development.stage.{c.stage}"] += 1
            made["development_candidacies"] += 1
            made["development_steps"] += len(steps)
        if org.level == "village":
            for stage, person in _cultivated(rng, org):
                since = last - rng.randint(30, 900) * DAY
                cultivations.append(
                    Cultivation(
                        organization_id=org.id,
                        name=person.name if person else _name(rng),
                        member_id=person.id if person else None,
                        stage=stage,
                        since=since,
                    )
                )
                keys[f"development.track.{stage}"] += 1
        rollups.adjust(org.id, dict(keys))
    Through.objects.bulk_create(people, batch_size=1000)
    Cultivation.objects.bulk_create(cultivations, batch_size=500)
    CultivationMove.objects.bulk_create(
        [CultivationMove(cultivation=c, stage=c.stage, moved_on=c.since) for c in cultivations],
        batch_size=500,
    )
    made["development_cultivations"] = len(cultivations)
    for k, v in made.items():
        activity.made[k] = v
