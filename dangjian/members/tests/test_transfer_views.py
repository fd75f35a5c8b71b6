from django.urls import reverse
from django.utils import timezone

from dangjian.members.models import Member, MobileRecord, Transfer

TODAY = timezone.localdate()


def login(client, county, name):
    client.force_login(county.users[name])
    return client


def test_issue_confirm_through_pages(client, county):
    member = county.members["TA01"][1]
    login(client, county, "branch_a1")
    url = reverse("members:transfer_issue", args=[member.pk])
    assert client.get(url).status_code == 200
    r = client.post(
        url, {"to_organization": "NOPE", "letter_number": "1", "issued_on": "2026-01-05"}
    )
    assert "未找到组织编码" in r.content.decode()
    r = client.post(
        url,
        {"to_organization": "tb01", "letter_number": "甲转1号", "issued_on": TODAY.isoformat()},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    t = Transfer.objects.get()
    page = client.get(reverse("members:transfers", args=["TA01"])).content.decode()
    assert "甲转1号" in page and "乙一村党支部" in page
    # The sender may not confirm; the receiver may.
    act = reverse("members:transfer_act", args=[t.pk, "confirm"])
    assert client.post(act, {"on": ""}).status_code == 403
    login(client, county, "branch_b1")
    assert "确认转入" in client.get(reverse("members:transfer", args=[t.pk])).content.decode()
    r = client.post(reverse("members:transfer_act", args=[t.pk, "refuse"]), {"reason": ""})
    assert "请填写退回理由" in r.content.decode()
    r = client.post(act, {"on": TODAY.isoformat()})
    assert r.status_code == 302
    assert Member.objects.get(pk=member.pk).organization == county.village_b1
    export = client.get(reverse("members:transfers_export", args=["TB01"]))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd")


def test_mobile_through_pages(client, county):
    member = county.members["TA01"][1]
    contact = county.members["TA01"][2]
    login(client, county, "branch_a1")
    url = reverse("members:mobile_start", args=[member.pk])
    r = client.post(url, {"place": "上海市", "since": "2026-01-01", "contact_member": "无此人"})
    assert "没有名为" in r.content.decode()
    r = client.post(
        url,
        {
            "place": "上海市",
            "since": "2026-01-01",
            "contact_member": contact.name,
            "fixed_place": "on",
        },
    )
    assert r.status_code == 302
    record = MobileRecord.objects.get()
    assert record.document == "mobile_certificate" and record.contact_member == contact
    page = client.get(reverse("members:mobile", args=["TA01"])).content.decode()
    assert "上海市" in page and contact.name in page
    assert client.get(reverse("members:mobile_export", args=["TA01"])).status_code == 200
    client.post(reverse("members:mobile_end", args=[record.pk]))
    assert not Member.objects.get(pk=member.pk).is_mobile
    # Outside the subtree: not found.
    login(client, county, "branch_b1")
    assert client.get(reverse("members:mobile", args=["TA01"])).status_code == 404
    assert client.post(reverse("members:mobile_end", args=[record.pk])).status_code == 404


def test_transfer_in_from_outside_through_page(client, county):
    from dangjian.testing import member_data

    login(client, county, "branch_b1")
    url = reverse("members:transfer_in", args=["TB01"])
    assert client.get(url).status_code == 200
    data = {
        k: (v.isoformat() if hasattr(v, "isoformat") else v)
        for k, v in member_data(name="外来党员").items()
        if v is not None and not isinstance(v, bool)
    }
    data.update(outside_name="中共郑州市某支部", letter_number="", issued_on=TODAY.isoformat())
    r = client.post(url, {**data, "received_on": TODAY.isoformat()})
    assert r.status_code == 200 and "介绍信编号" in r.content.decode()
    data["letter_number"] = "郑转9号"
    r = client.post(url, {**data, "received_on": TODAY.isoformat()})
    assert r.status_code == 302, r.content.decode()[:3000]
    t = Transfer.objects.get(direction="in")
    assert t.member.name == "外来党员" and t.to_organization == county.village_b1
    login(client, county, "branch_a1")
    assert client.get(url).status_code == 404


def test_org_page_panel_lists_open_transfers(client, county):
    from dangjian.members import transfers

    member = county.members["TA01"][1]
    transfers.issue(member, to=county.village_b1, letter_number="面板1号", issued_on=TODAY)
    login(client, county, "branch_b1")
    page = client.get(reverse("orgs:detail", args=["TB01"])).content.decode()
    assert "待确认转入" in page and member.name in page
    login(client, county, "branch_a1")
    page = client.get(reverse("orgs:detail", args=["TA01"])).content.decode()
    assert "对方尚未确认" in page
