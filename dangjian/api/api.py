"""The REST API: each domain contributes a router; OpenAPI at /api/openapi.json, docs at /api/docs.

Every route needs a bearer token (`dangjian token USERNAME`) or a logged-in session, and
sees only the caller's subtree, exactly like the pages.
"""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from dangjian.accounts.api_auth import AUTH, docs_access
from dangjian.assessment import api as assessment
from dangjian.core.api import errors
from dangjian.development import api as development
from dangjian.dues import api as dues
from dangjian.governance import api as governance
from dangjian.life import api as life
from dangjian.members import api as members
from dangjian.notices import api as notices
from dangjian.orgs import api as orgs
from dangjian.points import api as points
from dangjian.reports import api as stats
from dangjian.service import api as service
from dangjian.supervision import api as supervision
from dangjian.tasks import api as tasks
from dangjian.training import api as training
from dangjian.village import api as village
from dangjian.weakorgs import api as weakorgs


class ChineseJSONRenderer(JSONRenderer):
    # Chinese stays readable in the response instead of \\uXXXX escapes.
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="dangjian API",
    version="1",
    description=(
        "党建工作平台的 REST 接口。认证：请求头 `Authorization: Bearer <令牌>`"
        "（令牌用 `dangjian token 用户名` 签发），或浏览器中已登录的会话。"
        "每个接口只能看到和操作本人管辖范围内的组织和党员；范围以外的记录一律返回 404。"
    ),
    urls_namespace="api",
    auth=AUTH,
    docs_decorator=docs_access,
    renderer=ChineseJSONRenderer(),
)
errors.install(api)
api.add_router("/orgs/", orgs.router)
api.add_router("/members/", members.router)
api.add_router("/stats/", stats.router)
api.add_router("/tasks/", tasks.router)
api.add_router("/life/", life.router)
api.add_router("/notices/", notices.router)
api.add_router("/governance/", governance.router)
api.add_router("/assessment/", assessment.router)
api.add_router("/points/", points.router)
api.add_router("/service/", service.router)
api.add_router("/supervision/", supervision.router)
api.add_router("/weak/", weakorgs.router)
api.add_router("/development/", development.router)
api.add_router("/dues/", dues.router)
api.add_router("/training/", training.router)
api.add_router("/village/", village.router)
