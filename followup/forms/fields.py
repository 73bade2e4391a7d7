"""Form fields the features share: money in whole đồng."""

from django import forms


def money_field(label: str, **kwargs) -> forms.IntegerField:
    """Whole đồng typed the Vietnamese way: 50.000.000."""
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=1_000_000_000_000,
        localize=True,
        error_messages={
            "min_value": "Số tiền không được âm.",
            "max_value": "Số tiền quá lớn (tối đa 1.000 tỷ đồng).",
            "invalid": "Nhập một số nguyên, ví dụ 50.000.000.",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )
