"""The secretariat merges agencies into one (2025 department mergers), after a page that
says what will move."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from assignments.models import Agency
from assignments.permissions import managed_province

from . import agency_merge


class AgencyMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.choice_label


class MergeForm(forms.Form):
    sources = AgencyMultipleChoiceField(
        label="Các cơ quan gộp vào cơ quan này", queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_pk_value": "Không có cơ quan «%(pk)s» trong tỉnh."},
    )  # fmt: skip
    reason = forms.CharField(
        label="Căn cứ", max_length=80,
        help_text="Ví dụ: Quyết định 1234/QĐ-UBND ngày 28/02/2025 thành lập Sở Nông nghiệp và"
        " Môi trường.",
    )  # fmt: skip

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sources"].queryset = Agency.objects.filter(
            province=target.province, is_active=True
        ).exclude(pk=target.pk)


@login_required
def agency_merge_view(request, pk):
    province = managed_province(request.user)
    target = get_object_or_404(Agency.objects.filter(province=province), pk=pk)
    form = MergeForm(request.POST or None, target=target)
    context = {"target": target, "form": form}
    if request.method == "POST" and form.is_valid():
        sources = list(form.cleaned_data["sources"])
        if request.POST.get("confirm") == "1":
            try:
                agency_merge.merge(
                    target=target, sources=sources, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                context["problems"] = error.messages
            else:
                names = ", ".join(s.name for s in sources)
                messages.success(
                    request,
                    f"Đã gộp {names} vào {target.name}: phân công, ghi nhận, cán bộ và tài"
                    " khoản chuyển sang; tên cũ giữ trong lịch sử.",
                )
                return redirect("agency_edit", pk=target.pk)
        else:
            context["plan"] = agency_merge.plan(target=target, sources=sources)
    return render(request, "contributions/agency_merge.html", context)
