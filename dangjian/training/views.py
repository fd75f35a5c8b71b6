"""Pages of training: coverage, sessions (list, form with attendance, detail), 我的学习,
a course (read on a phone, its quiz), and the hours per member with its .xlsx. Thin: each
reads through the selectors and writes through the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scoping import get_visible_or_404
from dangjian.core import config
from dangjian.core.files import accepts_uploads, xlsx_response
from dangjian.core.forms import normalize_code, run_service
from dangjian.core.toolkit import paginate, subtree_phrase
from dangjian.orgs.selectors import home_organization, visible_orgs

from . import exports, forms, selectors, services
from .models import CourseCompletion, EducationBase

PERM = services.PERM


def _org(request, code):
    return get_visible_or_404(visible_orgs(request.user), code=normalize_code(code))


def _scope_org(request):
    """?org= (its subtree) or the top of what the user sees."""
    code = normalize_code(request.GET.get("org"))
    if code:
        return get_visible_or_404(visible_orgs(request.user), code=code)
    return home_organization(request.user)


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    return year if year and 2000 <= year <= 2100 else timezone.localdate().year


def _ctx(request, **extra):
    home = home_organization(request.user)
    return {
        "nav": "training",
        "home_org": home,
        "can_record": bool(home and request.user.has_perm(PERM, home)),
        **extra,
    }


@login_required
def home(request):
    org = _scope_org(request)
    year = _year(request)
    cov = selectors.coverage(org, year) if org else None
    return render(request, "training/home.html", _ctx(request, org=org, year=year, cov=cov))


@login_required
def session_list(request):
    org = _scope_org(request)
    year = _year(request)
    qs = selectors.visible_sessions(request.user).filter(starts_on__year=year)
    if request.GET.get("org") and org is not None:
        qs = qs.filter(organization__path__startswith=org.path)
    rows, pager = paginate(request, qs.order_by("-starts_on", "-pk"))
    return render(
        request,
        "training/sessions.html",
        _ctx(request, sessions=rows, **pager, org=org, year=year),
    )


@login_required
def session_create(request, code):
    org = _org(request, code)
    if not request.user.has_perm(PERM, org):
        raise PermissionDenied(_("您无权为该组织登记培训"))
    members = list(services.eligible_members(org).order_by("organization__path", "name_pinyin"))
    bases = EducationBase.objects.filter(
        organization__path__in=[org.path[:i] for i in range(4, len(org.path) + 1, 4)],
        is_active=True,
    )
    form = forms.SessionForm(request.POST or None, members=members, bases=bases)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["base"] = data.get("base") or None
        data["attendees"] = data.pop("present") or ()
        session = run_service(
            form,
            lambda: services.record_session(request.user, org, **data),
            {"attendees": "present"},
        )
        if session:
            messages.success(request, _("已登记培训"))
            return redirect("training:session", session.pk)
    return render(
        request,
        "training/session_form.html",
        _ctx(request, form=form, org=org, title=_("登记培训")),
    )


@login_required
def session_detail(request, pk):
    session = selectors.find_session(request.user, pk)
    attendees = session.attendances.select_related("member").order_by("member__name_pinyin")
    return render(
        request, "training/session.html", _ctx(request, session=session, attendees=attendees)
    )


@login_required
def mine(request):
    member = getattr(request.user, "member", None)
    year = timezone.localdate().year
    ctx = {"member": member, "year": year}
    if member is not None:
        ctx.update(selectors.my_year(member, year))
        ctx["courses"] = selectors.courses_for(request.user, member)
    return render(request, "training/mine.html", _ctx(request, **ctx))


@login_required
def course_detail(request, pk):
    course = selectors.find_course(request.user, pk)
    member = getattr(request.user, "member", None)
    passed = bool(member and CourseCompletion.objects.filter(course=course, member=member).exists())
    quiz = None
    if member is not None and course.is_published and not passed:
        attempt = int(request.POST.get("attempt") or request.GET.get("attempt") or 0)
        questions = services.quiz_for(course, member, attempt)
        quiz = forms.QuizForm(request.POST or None, questions=questions)
        quiz.attempt = attempt
        if request.method == "POST" and quiz.is_valid():
            try:
                result = services.submit_quiz(request.user, member, course, quiz.answers())
            except ValidationError as error:
                for message in error.messages:
                    quiz.add_error(None, message)
            else:
                if result["passed"]:
                    messages.success(
                        request,
                        _("测验通过（%(s)s分），已认定%(h)s学时")
                        % {"s": result["score"], "h": course.hours},
                    )
                    return redirect("training:course", course.pk)
                messages.info(
                    request,
                    _("答对%(c)s题，共%(t)s题，未达到通过标准，可以重新学习后再测验")
                    % {"c": result["correct"], "t": result["total"]},
                )
                return redirect(f"{request.path}?attempt={attempt + 1}")
    elif request.method == "POST":
        raise PermissionDenied(_("只有党员本人可以参加测验"))
    return render(
        request,
        "training/course.html",
        _ctx(
            request,
            course=course,
            quiz=quiz,
            passed=passed,
            files=course.files.all(),
            can_manage=request.user.has_perm(PERM, course.organization),
        ),
    )


def _hours_scope(request):
    org = _scope_org(request)
    if org is None:
        raise Http404
    if not request.user.has_perm(PERM, org):
        raise PermissionDenied(_("您无权查看该组织的党员学时"))
    return org, _year(request), request.GET.get("below") == "1"


@login_required
def hours(request):
    org, year, below = _hours_scope(request)
    members = selectors.member_hours(org, year, below_only=below)
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    rows = selectors.attach_years(
        page.object_list, year, config.get(org, "training.member_min_hours")
    )
    return render(
        request,
        "training/hours.html",
        _ctx(request, org=org, year=year, below=below, page=page, rows=rows),
    )


@login_required
def hours_export(request):
    org, year, below = _hours_scope(request)
    members = selectors.member_hours(org, year, below_only=below)
    rows = selectors.attach_years(members, year, config.get(org, "training.member_min_hours"))
    out = exports.hours(rows, scope=subtree_phrase(org), year=year, user=request.user)
    return xlsx_response(out, f"党员学时_{year}")


# ---- the county's online courses -------------------------------------------------------------

COURSE_FILE_BYTES = 200 * 1024 * 1024  # a lecture video


def _may_publish(request, code) -> bool:
    return request.user.has_perm(PERM, _org(request, code))


@accepts_uploads(max_file=COURSE_FILE_BYTES, files=5, gate=_may_publish)
@login_required
def course_create(request, code):
    org = _org(request, code)
    if not request.user.has_perm(PERM, org):
        raise PermissionDenied(_("您无权为该组织发布网络课程"))
    form = forms.CourseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        course = run_service(
            form, lambda: services.create_course(request.user, org, **data), {"files": "files"}
        )
        if course:
            messages.success(request, _("已建立课程，请添加题库后发布"))
            return redirect("training:course_manage", course.pk)
    return render(
        request,
        "training/course_form.html",
        _ctx(request, form=form, org=org, title=_("新建网络课程")),
    )


@login_required
def course_manage(request, pk):
    """The course's question bank (add a question) and publishing, for its managers."""
    course = selectors.find_course(request.user, pk)
    if not request.user.has_perm(PERM, course.organization):
        raise PermissionDenied(_("您无权修改该课程的题库"))
    form = forms.QuestionForm(request.POST if request.POST.get("action") == "question" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "question" and form.is_valid():
            data = form.cleaned_data
            choices = [c.strip() for c in data["choices"].splitlines() if c.strip()]
            done = run_service(
                form,
                lambda: services.add_question(
                    request.user,
                    course,
                    text=data["text"],
                    choices=choices,
                    answer=data["answer"] - 1,
                ),
            )
            if done:
                messages.success(request, _("已添加题目"))
                return redirect("training:course_manage", course.pk)
        elif action in ("publish", "withdraw"):
            try:
                services.publish_course(request.user, course, published=action == "publish")
            except ValidationError as e:
                for m in e.messages:
                    messages.error(request, m)
            else:
                messages.success(request, _("已发布") if action == "publish" else _("已撤回"))
            return redirect("training:course_manage", course.pk)
    return render(
        request,
        "training/course_manage.html",
        _ctx(request, course=course, form=form, questions=course.questions.order_by("pk")),
    )
