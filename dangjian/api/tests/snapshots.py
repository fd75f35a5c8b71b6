from dangjian.core.models import AuditEvent
from dangjian.members.models import Member, MemberMove
from dangjian.orgs.models import Officer, Organization
from dangjian.rollups.models import Rollup


def database_state():
    """Every row a write through the API could touch, to prove that nothing changed."""
    state = {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Organization, Member, MemberMove, Officer, Rollup, AuditEvent)
    }
    state["tags"] = list(Member.tags.through.objects.order_by("pk").values())
    return state
