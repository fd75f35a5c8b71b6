"""A year of supervision in the demo county (seed 004): the county's weekly phone spot
checks (a stored random sample of ten branches each), monthly unannounced visits, quarterly
scored inspections and half-yearly observation tours, their findings turned into
rectification items, a few items the townships entered with three-level guarantors, items
in every state (open, in progress, overdue, signed off), the progress and sign-off of the
weak organizations' items (opened by weakorgs' year), a red supervision order for every
item that went past its deadline, interviews for the slowest, and a notice for every closed
inspection.

Deterministic (the activity's seeded generator); bulk rows through activity.Rows, then the
notices through supervision.services.close_inspection (which numbers and stores them)."""

import datetime

from dangjian.core.periods import Period
from dangjian.supervision import rules, services
from dangjian.supervision.models import (
    Finding,
    Guarantor,
    Inspection,
    InspectionPlan,
    Interview,
    ProgressNote,
    RectificationItem,
    SampleEntry,
    SupervisionOrder,
)

DAY = datetime.timedelta(days=1)
PART = 41  # the activity's generator part of supervision

PHONE_PROBLEMS = (
    "值班电话无人接听，坐班值班制度落实不到位",
    "支部书记对本月主题党日安排说不清楚",
    "党员对“三会一课”制度知晓率低",
    "便民服务站工作时间未按规定公示",
)
VISIT_PROBLEMS = (
    "工作日上午活动场所大门紧锁，无人值班",
    "党建资料台账不全，会议记录补记痕迹明显",
    "村务公开栏内容未及时更新，仍为上季度内容",
    "党员活动室被挪作他用",
    "流动党员底数不清，联系不经常",
)
INSPECTION_PROBLEMS = (
    "三会一课记录不全，党课未按季度开展",
    "发展党员计划执行不到位，两年未发展党员",
    "组织生活会对照检查材料质量不高，批评意见避重就轻",
    "党费收缴不及时，存在代缴现象",
    "书记项目推进缓慢，月度计划完成不到一半",
)
WEAK_PROBLEMS = (
    ("班子不健全，支部书记长期空缺，工作处于停滞状态", "leader_pilot"),
    ("组织生活不正常，半年未召开支部党员大会", "pairing"),
    ("村务财务公开不及时，群众意见较大", "department_help"),
    ("活动场所面积不足，“五有”不达标", "department_help"),
    ("班子不团结，村“两委”配合不好", "leader_pilot"),
    ("党员队伍老化，三年未发展党员", "pairing"),
)
MEASURES = {
    "pairing": "与县直机关党支部结对共建，每月共同开展一次主题党日，帮助规范组织生活。",
    "leader_pilot": "县级领导联系抓点，每月到村指导一次，选优配强村党组织书记。",
    "department_help": "县直部门帮建，落实资金和项目，帮助完善活动场所和村务公开。",
    "other": "对照问题制定整改方案，明确责任人和完成时限。",
}
PROGRESS = (
    "召开支委会研究整改方案，明确分工和时限",
    "已召开支部党员大会，通报问题并部署整改",
    "补齐会议记录和台账，建立按月检查制度",
    "包保领导到村督导，整改事项逐条对账",
    "整改基本完成，已提交佐证材料申请验收",
)


def _monday_on_or_after(day):
    return day + ((7 - day.weekday()) % 7) * DAY


def _workday(day):
    while day.weekday() >= 5:
        day += DAY
    return day


class Year:
    def __init__(self, activity):
        self.a = activity
        self.w = activity.world
        self.rng = activity.rng(PART)
        self.first, self.last = activity.months[0].start, activity.last
        self.plans = activity_rows(InspectionPlan, PLAN_COLUMNS)
        self.inspections = activity_rows(Inspection, INSPECTION_COLUMNS)
        self.samples = activity_rows(
            SampleEntry, ("id", "inspection_id", "organization_id", "position")
        )
        self.findings = activity_rows(Finding, FINDING_COLUMNS)
        self.items = activity_rows(RectificationItem, ITEM_COLUMNS)
        self.guarantors = activity_rows(
            Guarantor, ("id", "item_id", "level", "name", "post", "member_id")
        )
        self.notes = activity_rows(
            ProgressNote, ("id", "item_id", "noted_on", "text", "created_at")
        )
        self.orders = activity_rows(SupervisionOrder, ORDER_COLUMNS)
        self.interviews = activity_rows(Interview, INTERVIEW_COLUMNS)
        self.to_close: list[tuple[int, datetime.date]] = []
        self.county = None

    # -- people ---------------------------------------------------------------------------

    def secretary(self, org):
        mid = org.secretary()
        person = self.w.people.get(mid) if mid else None
        return (person.id, person.name) if person else (None, "")

    def branches(self, county):
        return [o for o in self.a.subtree(county) if o.kind in ("branch", "joint_branch")]

    def villages(self, county):
        return [o for o in self.branches(county) if o.level == "village"]

    # -- the year ---------------------------------------------------------------------------

    def run(self):
        for county in self.a.counties():
            self.county = county
            branches = sorted(self.branches(county), key=lambda o: o.path)
            if not branches:
                continue
            for year in range(self.first.year, self.last.year + 1):
                self.county_year(county, branches, year)
            self.weak_villages(county)
        self.weak_org_items()
        self.a.write(
            [
                ("inspection_plans", self.plans),
                ("inspections", self.inspections),
                ("inspection_samples", self.samples),
                ("findings", self.findings),
                ("rectification_items", self.items),
                ("guarantors", self.guarantors),
                ("progress_notes", self.notes),
                ("supervision_orders", self.orders),
                ("interviews", self.interviews),
            ]
        )
        # Each closed inspection ends in a notice, numbered in the county's series.
        by_id = Inspection.objects.select_related("plan", "organization").in_bulk(
            [pk for pk, _d in self.to_close]
        )
        for pk, day in sorted(self.to_close, key=lambda x: (x[1], x[0])):
            services.close_inspection(None, by_id[pk], today=day)
        self.a.made["inspection_notices"] = len(self.to_close)

    def plan(self, county, kind, year, title, size=0, scored=False):
        start = max(datetime.date(year, 1, 1), self.first)
        end = datetime.date(year, 12, 31)
        pid = self.plans.add(
            county.id,
            kind,
            title,
            f"{year}年{title}：按县委组织部年度督查安排进行。",
            start.isoformat(),
            end.isoformat(),
            size,
            scored,
            "",
            self.at(start),
        )
        return pid, start, end

    def at(self, day):
        return self.a.dt(self.a.at(day, self.rng))

    def county_year(self, county, branches, year):
        short = county.short()
        phone, start, end = self.plan(county, "phone_check", year, f"{year}年电话抽查", size=10)
        visit, *_ = self.plan(county, "unannounced_visit", year, f"{year}年暗访")
        quarterly, *_ = self.plan(county, "inspection", year, f"{year}年季度督查", scored=True)
        tour, *_ = self.plan(county, "observation_tour", year, f"{year}年半年观摩", scored=True)
        last = min(end, self.last)
        ids = [o.id for o in branches]
        by_id = {o.id: o for o in branches}
        # Weekly phone spot checks: the same draw as supervision.services.draw_sample.
        day = _monday_on_or_after(start)
        while day <= last:
            seed = rules.sample_seed(phone, day)
            drawn = rules.draw_sample(ids, 10, seed)
            rec = self.record(
                county, phone, "phone_check", day, f"{short}组织部电话抽查组", seed=seed
            )
            for i, oid in enumerate(drawn, start=1):
                self.samples.add(rec, oid, i)
                if self.rng.random() < 0.12:
                    self.finding(rec, day, by_id[oid], self.rng.choice(PHONE_PROBLEMS))
            day += 7 * DAY
        villages = [o for o in branches if o.level == "village"] or branches
        for month in self.a.months:
            if month.year != year:
                continue
            # A monthly unannounced visit to six villages.
            day = _workday(month.start + self.rng.randint(8, 20) * DAY)
            if day <= last:
                rec = self.record(county, visit, "unannounced_visit", day, "县委组织部暗访组")
                for org in self.rng.sample(villages, min(6, len(villages))):
                    if self.rng.random() < 0.45:
                        self.finding(rec, day, org, self.rng.choice(VISIT_PROBLEMS))
            # The quarter's inspection (scored) in its last month, the tours in June and
            # November.
            if month.month in (3, 6, 9, 12):
                day = _workday(month.start + 14 * DAY)
                if day <= last:
                    rec = self.record(
                        county,
                        quarterly,
                        "inspection",
                        day,
                        "县委督查组（5个小组）",
                        summary=f"{Period.quarter_of(day)}：抽查村（社区）和机关党支部40个，"
                        "听取汇报、查阅台账、走访党员群众。",
                    )
                    for org in self.rng.sample(branches, min(40, len(branches))):
                        score = self.rng.randint(68, 99)
                        problem = self.rng.choice(INSPECTION_PROBLEMS) if score < 82 else ""
                        self.finding(rec, day, org, problem, score=score)
            if month.month in (6, 11):
                day = _workday(month.start + 20 * DAY)
                if day <= last:
                    rec = self.record(
                        county,
                        tour,
                        "observation_tour",
                        day,
                        "各乡镇党委书记",
                        summary="现场观摩党建示范点，交流书记项目和“五有”阵地建设经验。",
                    )
                    for org in self.rng.sample(villages, min(8, len(villages))):
                        self.finding(rec, day, org, "", score=self.rng.randint(90, 99))

    def record(self, county, plan, kind, day, inspectors, summary="", seed=""):
        pk = self.inspections.add(
            plan,
            county.id,
            kind,
            day.isoformat(),
            inspectors,
            summary,
            "open",
            None,
            seed,
            self.at(day),
        )
        if day <= self.last - 7 * DAY:  # the latest ones are still being written up
            self.to_close.append((pk, min(day + self.rng.randint(1, 5) * DAY, self.last)))
        return pk

    def finding(self, inspection, day, org, problem, score=None):
        from .activity import _dec

        fid = self.findings.add(
            inspection,
            org.id,
            problem,
            "",
            None if score is None else _dec(score),
            self.at(day),
        )
        if problem:
            self.item(
                org,
                problem,
                day,
                day + 30 * DAY,
                "finding",
                str(fid),
                fid,
                kind="other",
                issuer=self.county,
            )
        return fid

    # -- the ledger -------------------------------------------------------------------------

    def weak_villages(self, county):
        """A few villages' problems the townships entered on the ledger themselves early in
        the year, each with guarantors at three levels (the weak organizations the county
        confirms come through weakorgs, see weak_org_items)."""
        villages = self.villages(county)
        if not villages:
            return
        opened = max(self.first, datetime.date(self.last.year, 2, 20))
        if opened > self.last:
            opened = self.first
        leaders = [p for p in county.members] or [p for o in county.children for p in o.members]
        for org in self.rng.sample(villages, min(4, len(villages))):
            problem, kind = self.rng.choice(WEAK_PROBLEMS)
            deadline = opened + self.rng.randint(150, 330) * DAY
            town = self.w.township_of(org)
            iid = self.item(
                org, problem, opened, deadline, "hand", "", None, kind=kind, issuer=town
            )
            leader = self.rng.choice(leaders).name if leaders else "县委常委"
            self.guarantors.add(iid, "county", leader, "县委常委", None)
            if town is not None:
                mid, name = self.secretary(town)
                self.guarantors.add(
                    iid, "township", name or f"{town.short()}党委书记", "乡镇党委书记", mid
                )
            mid, name = self.secretary(org)
            self.guarantors.add(iid, "village", name or "村党支部书记", "村党支部书记", mid)

    def course(self, org, opened, deadline, source):
        """How an item went up to yesterday: (rectified_on or None, progress note days)."""
        rng = self.rng
        last = self.last
        # Most items are rectified in time; some late, some not yet.
        rectified_on = None
        if deadline <= last or rng.random() < (0.4 if source == "finding" else 0.15):
            roll = rng.random()
            span = (deadline - opened).days
            if roll < 0.7:
                rectified_on = opened + rng.randint(max(5, span // 3), max(6, span)) * DAY
            elif roll < 0.85:
                rectified_on = deadline + rng.randint(3, 40) * DAY  # late: after an order
            if rectified_on is not None and rectified_on > last:
                rectified_on = None
        notes = []
        day = opened + rng.randint(5, 20) * DAY
        if rectified_on is None and deadline > last and rng.random() < 0.3:
            day = last + DAY  # not started yet
        end = rectified_on or last
        while day <= end and len(notes) < 4:
            notes.append(day)
            day += rng.randint(10, 30) * DAY
        if rectified_on and not notes:
            notes.append(rectified_on)
        return rectified_on, notes

    def signer(self, org) -> str:
        town = self.w.township_of(org)
        return (self.secretary(town)[1] if town else "") or "乡镇党委"

    def item(self, org, problem, opened, deadline, source, ref, finding, *, kind, issuer):
        """One item with its progress to yesterday, its sign-off, and the order (and
        interview) it got if it went past its deadline."""
        mid, secretary = self.secretary(org)
        rectified_on, notes = self.course(org, opened, deadline, source)
        status = "rectified" if rectified_on else ("in_progress" if notes else "open")
        iid = self.items.add(
            org.id,
            source,
            ref,
            finding,
            problem,
            kind,
            MEASURES[kind],
            mid,
            secretary,
            opened.isoformat(),
            deadline.isoformat(),
            status,
            rectified_on.isoformat() if rectified_on else None,
            None,
            self.signer(org) if rectified_on else "",
            "经验收，整改到位，同意销号。" if rectified_on else "",
            self.at(opened),
            self.at(rectified_on or min(notes[-1] if notes else opened, self.last)),
        )
        self.follow(iid, org, problem, deadline, rectified_on, notes, issuer)
        return iid

    def weak_org_items(self):
        """The weak organizations' items the county opened on confirmation (weakorgs, through
        supervision's service): their progress, sign-off, orders and interviews since."""
        items = list(
            RectificationItem.objects.filter(source="weak_org", status="open").order_by("pk")
        )
        for item in items:
            org = self.w.by_id.get(item.organization_id)
            if org is None or item.opened_on > self.last:
                continue
            rectified_on, notes = self.course(org, item.opened_on, item.deadline, "weak_org")
            item.status = "rectified" if rectified_on else ("in_progress" if notes else "open")
            item.rectified_on = rectified_on
            item.signed_off_name = self.signer(org) if rectified_on else ""
            item.sign_off_note = "经县乡两级验收，整顿达到要求，同意销号。" if rectified_on else ""
            self.follow(item.pk, org, item.problem, item.deadline, rectified_on, notes, org.parent)
        RectificationItem.objects.bulk_update(
            items, ["status", "rectified_on", "signed_off_name", "sign_off_note"]
        )

    def follow(self, iid, org, problem, deadline, rectified_on, notes, issuer):
        rng = self.rng
        last = self.last
        mid, secretary = self.secretary(org)
        town = self.w.township_of(org)
        for i, d in enumerate(notes):
            self.notes.add(iid, d.isoformat(), PROGRESS[min(i, len(PROGRESS) - 1)], self.at(d))
        # The daily job's red order the day after the deadline, when it was still open then.
        ordered = deadline + DAY
        if ordered <= last and (rectified_on is None or rectified_on > deadline):
            parent = org.parent
            issuer_id = (issuer or parent or org).id
            reply_by = ordered + 7 * DAY
            replied = None
            if rectified_on or (reply_by <= last and rng.random() < 0.6):
                replied = min(ordered + rng.randint(2, 9) * DAY, last)
            self.orders.add(
                iid,
                org.id,
                issuer_id,
                ordered.isoformat(),
                secretary,
                mid,
                rules.order_text(org.name, problem, deadline, reply_by),
                reply_by.isoformat(),
                replied.isoformat() if replied else None,
                "已召开专题会议研究整改，明确责任人，限期完成。" if replied else "",
                self.at(ordered),
            )
            # The slowest get an interview a fortnight later.
            talk = ordered + 14 * DAY
            if rectified_on is None and talk <= last and rng.random() < 0.6:
                self.interviews.add(
                    org.id,
                    iid,
                    talk.isoformat(),
                    f"{(town or parent or org).short()}党委书记、组织委员",
                    f"{org.short()}党支部书记{secretary}",
                    f"整改事项“{problem[:30]}”逾期未完成，红色督办后进展仍然缓慢。",
                    "被约谈人作出表态，承诺一个月内整改到位；乡镇党委每周跟踪。",
                    self.at(talk),
                )


PLAN_COLUMNS = (
    "id",
    "organization_id",
    "kind",
    "title",
    "content",
    "starts_on",
    "ends_on",
    "sample_size",
    "scored",
    "indicator_code",
    "created_at",
)
INSPECTION_COLUMNS = (
    "id",
    "plan_id",
    "organization_id",
    "kind",
    "held_on",
    "inspectors",
    "summary",
    "status",
    "closed_on",
    "sample_seed",
    "created_at",
)
FINDING_COLUMNS = (
    "id",
    "inspection_id",
    "organization_id",
    "problem",
    "indicator_code",
    "score",
    "created_at",
)
ITEM_COLUMNS = (
    "id",
    "organization_id",
    "source",
    "source_ref",
    "finding_id",
    "problem",
    "measure_kind",
    "measures",
    "owner_member_id",
    "owner_name",
    "opened_on",
    "deadline",
    "status",
    "rectified_on",
    "signed_off_by_id",
    "signed_off_name",
    "sign_off_note",
    "created_at",
    "updated_at",
)
ORDER_COLUMNS = (
    "id",
    "item_id",
    "organization_id",
    "issuer_id",
    "issued_on",
    "addressee_name",
    "addressee_member_id",
    "text",
    "reply_by",
    "replied_on",
    "reply",
    "created_at",
)
INTERVIEW_COLUMNS = (
    "id",
    "organization_id",
    "item_id",
    "held_on",
    "interviewers",
    "interviewees",
    "content",
    "outcome",
    "created_at",
)


def activity_rows(model, columns):
    from .activity import Rows  # activity imports this module at its end

    return Rows(model, columns)


def run(activity) -> None:
    from django.utils import translation

    activity.say("正在生成督查、整改台账、红色督办单和约谈……")
    with translation.override("zh-hans"):  # the orders' and notices' text
        Year(activity).run()
