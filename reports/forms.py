import datetime

from django import forms

from assignments.forms import AgencyChoiceField
from assignments.models import Agency
from communes.models import Commune, District, Province
from core.periods import REPORT_PERIODS, year_bounds, year_period

from .models import ReportRun


class ReportRequestForm(forms.Form):
    scope = forms.ChoiceField(label="Phạm vi", choices=ReportRun.Scope.choices)
    former_province = forms.ModelChoiceField(
        label="Tỉnh trước sắp xếp (trước 01/7/2025)",
        queryset=Province.objects.none(),
        required=False,
    )
    district = forms.ModelChoiceField(
        label="Huyện (trước 01/7/2025)", queryset=District.objects.none(), required=False
    )
    commune = forms.ModelChoiceField(label="Xã", queryset=Commune.objects.none(), required=False)
    agency = AgencyChoiceField(
        label="Cơ quan, đơn vị", queryset=Agency.objects.none(), required=False
    )
    period = forms.ChoiceField(label="Kỳ báo cáo", choices=REPORT_PERIODS, initial="year")
    year = forms.IntegerField(label="Năm", min_value=2015, max_value=2040)
    phase_end_year = forms.IntegerField(
        label="Đến năm (cả giai đoạn)", min_value=2015, max_value=2040, required=False
    )
    start = forms.DateField(
        label="Từ ngày (tùy chọn)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="Đến ngày (tùy chọn)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    include_awaiting = forms.BooleanField(
        label="Tính cả hoạt động đang chờ xã xác nhận",
        required=False,
        help_text="Mặc định chỉ tính số liệu các xã đã xác nhận. Nếu chọn, báo cáo ghi rõ số "
        "liệu gồm cả hoạt động chờ xác nhận.",
    )

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["former_province"].queryset = Province.objects.filter(
            successor=province
        ).order_by("name")
        self.fields["district"].queryset = District.objects.filter(
            province__successor=province
        ).order_by("name")
        self.fields["commune"].queryset = (
            Commune.objects.in_province(province)
            .filter(assignments__isnull=False)
            .distinct()
            .select_related("district")
            .order_by("valid_to", "name")
        )
        self.fields["agency"].queryset = Agency.objects.filter(province=province).order_by("name")
        self.initial.setdefault("year", datetime.date.today().year)

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        for name in ("former_province", "district", "commune", "agency"):
            if scope == name and not data.get(name):
                self.add_error(name, "Hãy chọn " + self.fields[name].label.lower() + ".")
            elif scope != name:
                data[name] = None
        year, period = data.get("year"), data.get("period")
        if not year or not period:
            return data
        if period not in ("phase", "custom"):
            data["start"], data["end"] = year_period(period, year)
        elif period == "phase":
            last = data.get("phase_end_year") or year
            if last < year:
                self.add_error("phase_end_year", "Năm cuối phải từ năm đầu trở đi.")
            data["start"], data["end"] = year_bounds(year)[0], year_bounds(last)[1]
        elif not data.get("start") or not data.get("end"):
            self.add_error("start", "Hãy chọn từ ngày và đến ngày.")
        elif data["end"] < data["start"]:
            self.add_error("end", "Đến ngày phải sau từ ngày.")
        return data


class ReportTextForm(forms.ModelForm):
    class Meta:
        model = ReportRun
        fields = [
            "title", "parent_body", "issuing_body", "document_number", "place", "document_date",
            "signature_title", "signer_name", "recipients",
            "strengths", "shortcomings", "directions", "proposals",
        ]  # fmt: skip
        widgets = {
            "document_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "signature_title": forms.Textarea(attrs={"rows": 3}),
            "recipients": forms.Textarea(attrs={"rows": 5}),
            "strengths": forms.Textarea(attrs={"rows": 6}),
            "shortcomings": forms.Textarea(attrs={"rows": 6}),
            "directions": forms.Textarea(attrs={"rows": 6}),
            "proposals": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"title": "Trích yếu (để trống: tự đặt theo kỳ báo cáo)"}
