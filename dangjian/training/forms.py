"""Forms of training: a session with its attendance (every member ticked by default,
absentees unticked), and the quiz of a course."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import MultipleFileField

from .models import SessionKind, TrainingLevel


class SessionForm(forms.Form):
    topic = forms.CharField(label=_("培训主题"), max_length=200)
    trainer = forms.CharField(label=_("授课人"), max_length=80)
    kind = forms.ChoiceField(label=_("培训方式"), choices=SessionKind.choices)
    level = forms.ChoiceField(label=_("培训层级"), choices=TrainingLevel.choices)
    base = forms.ChoiceField(label=_("教育基地"), required=False)
    venue = forms.CharField(label=_("培训地点"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("培训日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("结束日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("一天的培训不填"),
    )
    hours = forms.DecimalField(
        label=_("学时"), max_digits=5, decimal_places=1, help_text=_("全天8学时，半天4学时")
    )
    is_lecture = forms.BooleanField(label=_("计为党课"), required=False)
    present = forms.MultipleChoiceField(
        label=_("参训党员"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("默认全部勾选，请取消缺席的党员"),
    )

    def __init__(self, *args, members=(), bases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(m.pk), m.name) for m in members]
        self.fields["base"].choices = [("", "—"), *((str(b.pk), b.name) for b in bases)]
        if not self.is_bound:
            self.initial.setdefault("present", [str(m.pk) for m in members])


class QuizForm(forms.Form):
    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for q in self.questions:
            self.fields[f"q{q.pk}"] = forms.TypedChoiceField(
                label=q.text,
                coerce=int,
                widget=forms.RadioSelect,
                required=False,
                choices=[(i, c) for i, c in enumerate(q.choices)],
            )

    def answers(self) -> dict:
        out = {}
        for q in self.questions:
            value = self.cleaned_data.get(f"q{q.pk}")
            if value not in (None, ""):
                out[q.pk] = int(value)
        return out


class CourseForm(forms.Form):
    title = forms.CharField(label=_("课程名称"), max_length=120)
    summary = forms.CharField(label=_("简介"), max_length=300, required=False)
    body = forms.CharField(label=_("课程内容"), widget=forms.Textarea, required=False)
    hours = forms.DecimalField(label=_("学时"), max_digits=4, decimal_places=1)
    level = forms.ChoiceField(label=_("培训层级"), choices=TrainingLevel.choices, initial="county")
    files = MultipleFileField(
        label=_("课件、视频"), help_text=_("文字、幻灯片（PDF）或视频文件，党员在手机上学习")
    )


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("题目"), max_length=500)
    choices = forms.CharField(
        label=_("选项"), widget=forms.Textarea(attrs={"rows": 4}), help_text=_("每行一个选项")
    )
    answer = forms.IntegerField(
        label=_("正确答案"), min_value=1, max_value=10, help_text=_("第几个选项，从1数起")
    )
