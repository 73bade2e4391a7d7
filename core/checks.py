"""System checks of giupxa's own settings."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def lab_switch_is_off(app_configs, **kwargs):
    """LAB_PLAIN_HTTP drops the cookies' Secure flag: fine for a trial on a LAN, never for a
    deployment."""
    if getattr(settings, "LAB_PLAIN_HTTP", False):
        return [
            Error(
                "LAB_PLAIN_HTTP đang bật: cookie đăng nhập gửi qua http không mã hóa.",
                hint="Chỉ dùng khi thử nghiệm trong mạng nội bộ; tắt trước khi triển khai.",
                id="giupxa.E001",
            )
        ]
    return []
