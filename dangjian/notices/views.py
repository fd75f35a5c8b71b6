"""Notices: the list a user sees, a notice as a print-ready page, its PDF, withdrawing it."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core.toolkit import paginate

from . import pdf, selectors, services
from .models import NoticeKind
from .rules import date_text


@login_required
def notice_list(request):
    qs = selectors.visible_notices(request.user)
    kind = request.GET.get("kind", "")
    if kind in NoticeKind.values:
        qs = qs.filter(kind=kind)
    year = request.GET.get("year", "")
    if year.isdigit():
        qs = qs.filter(year=int(year))
    notices, pager = paginate(request, qs.order_by("-issued_on", "-pk"), 30)
    return render(
        request,
        "notices/list.html",
        {"notices": notices, **pager, "kinds": NoticeKind.choices, "kind": kind, "year": year},
    )


@login_required
def notice_detail(request, pk):
    notice = selectors.find_notice(request.user, pk)
    return render(
        request,
        "notices/detail.html",
        {
            "notice": notice,
            "date_text": date_text(notice.issued_on),
            "can_withdraw": not notice.withdrawn_on
            and request.user.has_perm("notices.issue", notice.issuer),
        },
    )


@login_required
def notice_pdf(request, pk):
    notice = selectors.find_notice(request.user, pk)
    response = HttpResponse(pdf.render(notice), content_type="application/pdf")
    name = f"{notice.number}{notice.title}.pdf"
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
    return response


@login_required
@require_POST
def notice_withdraw(request, pk):
    notice = selectors.find_notice(request.user, pk)
    try:
        services.withdraw_notice(request.user, notice, request.POST.get("reason", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("通报已撤回"))
    return redirect(notice.get_absolute_url())
