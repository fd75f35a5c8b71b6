"""Every API route, with a valid body, for the tests that must cover them all."""

from dangjian.testing import member_data


def member_body(organization="TA01", **overrides):
    data = member_data(**overrides)
    body = {k: str(v) if hasattr(v, "isoformat") else v for k, v in data.items()}
    body["organization"] = organization
    return body


def routes(org_code, member_id, target_org="TB01"):
    """(method, path, body) for every route, aimed at `org_code` and member `member_id`."""
    return [
        ("get", "/orgs/", None),
        ("get", f"/orgs/{org_code}", None),
        ("get", f"/orgs/{org_code}/children", None),
        (
            "post",
            f"/orgs/{org_code}/children",
            {"code": "NEW1", "name": "新党小组", "kind": "group"},
        ),
        ("patch", f"/orgs/{org_code}", {"name": "改名党支部"}),
        ("post", f"/orgs/{org_code}/move", {"parent_code": target_org}),
        ("post", f"/orgs/{org_code}/dissolve", {"reason": "村庄合并"}),
        ("get", "/members/", None),
        ("get", f"/members/{member_id}", None),
        ("post", "/members/", member_body(org_code)),
        ("patch", f"/members/{member_id}", {"posts": "党员示范岗"}),
        ("post", f"/members/{member_id}/move", {"organization": target_org, "reason": "迁居"}),
        ("post", f"/members/{member_id}/remove", {"reason": "去世"}),
        ("get", f"/stats/{org_code}", None),
    ]


# The OpenAPI paths and methods the API must publish.
PUBLISHED = {
    "/api/orgs/": {"get"},
    "/api/orgs/{code}": {"get", "patch"},
    "/api/orgs/{code}/children": {"get", "post"},
    "/api/orgs/{code}/move": {"post"},
    "/api/orgs/{code}/dissolve": {"post"},
    "/api/members/": {"get", "post"},
    "/api/members/{member_id}": {"get", "patch"},
    "/api/members/{member_id}/move": {"post"},
    "/api/members/{member_id}/remove": {"post"},
    "/api/stats/{code}": {"get"},
    "/api/tasks/assignments": {"get", "post"},
    "/api/tasks/assignments/{assignment_id}": {"get"},
    "/api/tasks/assignments/{assignment_id}/revise": {"post"},
    "/api/tasks/assignments/{assignment_id}/withdraw": {"post"},
    "/api/tasks/assignments/{assignment_id}/progress": {"get"},
    "/api/tasks/assignments/{assignment_id}/report-backs": {"get"},
    "/api/tasks/assignments/{assignment_id}/relays": {"get"},
    "/api/tasks/report-backs/todo": {"get"},
    "/api/tasks/report-backs/{report_back_id}": {"post"},
    "/api/tasks/report-backs/{report_back_id}/accept": {"post"},
    "/api/tasks/report-backs/{report_back_id}/return": {"post"},
    "/api/tasks/report-backs/{report_back_id}/relay": {"post"},
    "/api/tasks/report-backs/{report_back_id}/extend": {"post"},
    "/api/tasks/pledges": {"get", "post"},
    "/api/tasks/pledges/{pledge_id}": {"get"},
    "/api/tasks/pledges/{pledge_id}/sign": {"post"},
    "/api/tasks/targets/{target_id}": {"post"},
    "/api/tasks/targets/{target_id}/cascade": {"post"},
    "/api/life/meetings": {"get", "post"},
    "/api/life/meetings/{meeting_id}": {"get"},
    "/api/life/meetings/{meeting_id}/void": {"post"},
    "/api/life/compliance/{code}": {"get"},
    "/api/life/reviews": {"get"},
    "/api/life/talks": {"get"},
    "/api/life/plans": {"get", "post"},
    "/api/life/plans/{plan_id}/cancel": {"post"},
    "/api/notices/": {"get"},
    "/api/notices/{notice_id}": {"get"},
    "/api/notices/{notice_id}/pdf": {"get"},
    "/api/governance/matters": {"get", "post"},
    "/api/governance/matters/{matter_id}": {"get"},
    "/api/governance/matters/{matter_id}/steps": {"post"},
    "/api/governance/office-hours/{code}": {"get"},
    "/api/governance/office-hours": {"post"},
    "/api/weak/flags": {"get", "post"},
    "/api/weak/flags/{flag_id}": {"get"},
    "/api/weak/flags/{flag_id}/confirm": {"post"},
    "/api/weak/flags/{flag_id}/dismiss": {"post"},
    "/api/weak/detect/{code}": {"post"},
    "/api/weak/list/{code}": {"get"},
}
