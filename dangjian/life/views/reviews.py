"""The yearly member review (民主评议党员): grade entry for a branch, the graded list of a
subtree and its export."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.files import xlsx_response
from dangjian.core.toolkit import by_level, subtree_phrase
from dangjian.members.models import Member, Status

from .. import exports, rules, selectors, services
from ..forms import FOLLOW_UP_CHOICES, GRADE_CHOICES, ReviewDateForm, grades_from_post
from ..models import Review
from .common import LIST_LIMIT, context, get_org, split_errors, year_of, years_around


@login_required
def reviews(request, code):
    user = request.user
    org = get_org(request, code)
    today = timezone.localdate()
    year = year_of(request, rules.review_year(today))
    can_enter = (
        selectors.can_record(user, org) and org.kind in rules.BRANCH_LIKE and year <= today.year
    )
    errors = []
    date_form = ReviewDateForm(request.POST or None)
    members = []
    if can_enter:
        members = list(
            Member.objects.active()
            .filter(organization__path__startswith=org.path)
            .order_by("status", "name", "pk")
        )
    if request.method == "POST":
        if not can_enter:
            raise PermissionDenied
        grades = grades_from_post(request.POST, [m.pk for m in members])
        if not grades:
            errors.append(_("请至少为一名党员选择评议等次"))
        elif date_form.is_valid():
            try:
                services.record_reviews(
                    org,
                    year,
                    grades,
                    reviewed_on=date_form.cleaned_data["reviewed_on"],
                    actor=user,
                )
            except ValidationError as error:
                errors = split_errors(date_form, error, ("grade", "follow_up", "member", "year"))
            except PermissionDenied as error:
                errors.append(str(error))
            else:
                return redirect(reverse("life:reviews", args=[org.code]) + f"?year={year}&saved=1")
    existing = {r.member_id: r for r in Review.objects.filter(year=year, member__in=members)}
    absences = selectors.unexcused_absences([m.pk for m in members], year)
    post = request.POST if request.method == "POST" else None
    entry = []
    for m in members:
        r = existing.get(m.pk)
        entry.append(
            {
                "member": m,
                "probationary": m.status == Status.PROBATIONARY,
                "grade": post.get(f"grade_{m.pk}", "") if post else (r.grade if r else ""),
                "follow_up": post.get(f"follow_{m.pk}", "") if post else (r.follow_up if r else ""),
                "note": post.get(f"note_{m.pk}", "") if post else (r.follow_up_note if r else ""),
                "absences": absences.get(m.pk, 0),
            }
        )
    summary = services.review_summary(org, year)
    listed = list(selectors.reviews(user, org, year)[: LIST_LIMIT + 1])
    page = context(
        request,
        org,
        "reviews",
        year=year,
        years=years_around(year, today),
        can_enter=can_enter,
        entry=entry,
        errors=errors,
        date_form=date_form,
        grades=GRADE_CHOICES,
        follow_ups=FOLLOW_UP_CHOICES,
        summary=[(label, summary[value]) for value, label in GRADE_CHOICES if value],
        listed=listed[:LIST_LIMIT],
        more=len(listed) > LIST_LIMIT,
        saved=request.GET.get("saved") == "1",
        absent=[e for e in entry if e["absences"]],
    )
    return render(request, "life/reviews.html", page)


@login_required
def reviews_export(request, code):
    user = request.user
    org = get_org(request, code)
    year = year_of(request, timezone.localdate().year)
    out = exports.reviews(
        selectors.reviews(user, org, year).iterator(chunk_size=1000),
        top=org,
        scope=subtree_phrase(org),
        year=year,
        by_level=by_level(request),
        user=user,
    )
    return xlsx_response(out, f"民主评议_{org.code}_{year}")
