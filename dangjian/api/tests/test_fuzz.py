"""Random member-search parameters: the answer is 200 or 422, never 500, never out of scope."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.members.selectors import visible_members

from .conftest import ApiClient

USERS = ("branch_a1", "branch_b1", "town_a", "member_a1", "nobody")

NASTY = [
    "' OR '1'='1",
    "%",
    "_",
    "\\",
    "党员%",
    "1; DROP TABLE members_member; --",
    '" OR 1=1 --',
    "TB01' --",
    "*",
    "%' UNION SELECT id_number FROM members_member --",
    "０１２",
    "ß",
    "İ",
    "\x00",
    "甲一村",
    "乙一村党支部",
    "張",
    "",
    " ",
    "4114",
    "139",
]
CODES = ["T", "TA", "TA01", "TA0101", "TB", "TB01", "tb01", "NOPE"]
values = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=8),
    st.sampled_from(NASTY + CODES),
    st.sampled_from(["full", "probationary", "rural", "m", "f", "secondary", "1", "0", "true"]),
    st.integers(min_value=-5, max_value=10**12).map(str),
)
params = st.dictionaries(
    st.sampled_from(
        [
            "q",
            "org",
            "status",
            "category",
            "gender",
            "education",
            "tag",
            "mobile",
            "include_removed",
            "limit",
            "offset",
        ]
    ),
    values,
    max_size=6,
)


def test_member_search_fuzz(county):
    clients, allowed = {}, {}
    from dangjian.accounts import tokens

    for name in USERS:
        user = county.users[name]
        clients[name] = ApiClient(tokens.create(user)[1])
        allowed[name] = set(visible_members(user).values_list("pk", flat=True))
    secrets_by_user = {
        name: [
            m.id_number for ms in county.members.values() for m in ms if m.pk not in allowed[name]
        ]
        for name in USERS
    }

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(user=st.sampled_from(USERS), query=params)
    def check(user, query):
        response = clients[user].get("/members/", query)
        assert response.status_code in (200, 422), (user, query, response.content)
        body = response.json()
        if response.status_code == 422:
            assert all(e["field"] and e["message"] for e in body["detail"]), body
            return
        returned = {m["id"] for m in body["items"]}
        assert returned <= allowed[user], (user, query)
        assert body["count"] <= len(allowed[user])
        text = response.content.decode()
        assert not any(s in text for s in secrets_by_user[user])

    check()
