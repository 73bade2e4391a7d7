"""The fields of work and the in-kind catalogue as the provinces' reviews list them.

Both are managed lists: the secretariat may rename, reorder, retire or add entries later.
Reference unit values are rough 2024 prices, only proposed when someone records an item.
Migration 0003 loads them; `ensure_defaults` is the same load, for anything that needs the
defaults back (tests that emptied the database).
"""

CATEGORIES = [
    ("he-thong-chinh-tri", "Củng cố hệ thống chính trị, tuyên truyền"),
    ("tu-van-chinh-sach", "Tư vấn chính sách, kế hoạch phát triển kinh tế - xã hội"),
    ("phat-trien-san-xuat", "Phát triển sản xuất, mô hình, cây con giống"),
    ("tap-huan", "Tập huấn, đào tạo cán bộ và người dân"),
    ("ha-tang", "Hạ tầng: đường, thủy lợi, điện, nước, nhà văn hóa, lớp học"),
    ("nha-o", "Nhà ở: xóa nhà tạm, nhà dột nát, nhà đại đoàn kết"),
    ("y-te", "Y tế: khám chữa bệnh, cấp thuốc miễn phí"),
    ("giao-duc", "Giáo dục: học bổng, đồ dùng học tập"),
    ("van-hoa-xa-hoi", "Văn hóa, xã hội"),
    ("tang-qua", "Tặng quà hộ nghèo, gia đình chính sách, dịp Tết"),
    ("an-ninh-trat-tu", "An ninh, trật tự"),
]

ITEMS = [
    ("Ngày công lao động", "ngày công", 250_000),
    ("Xi măng", "tấn", 1_600_000),
    ("Suất quà", "suất", 500_000),
    ("Bộ bàn ghế học sinh", "bộ", 1_800_000),
    ("Sách, vở", "cuốn", 15_000),
    ("Quần áo, chăn ấm", "bộ", 250_000),
    ("Máy tính", "bộ", 12_000_000),
    ("Con giống (lợn, bò, dê)", "con", 3_000_000),
    ("Cây giống", "cây", 20_000),
    ("Nhà đại đoàn kết", "ngôi nhà", 50_000_000),
    ("Khám bệnh, cấp thuốc", "lượt người", 150_000),
    ("Tôn lợp nhà", "tấm", 120_000),
    ("Gạo", "kg", 15_000),
]


def ensure_defaults(category_model=None, item_model=None) -> None:
    if category_model is None:
        from .models import Category as category_model  # noqa: N813
        from .models import Item as item_model  # noqa: N813
    for order, (code, name) in enumerate(CATEGORIES, start=1):
        category_model.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    for name, unit, value in ITEMS:
        item_model.objects.update_or_create(
            name=name, defaults={"unit": unit, "reference_unit_value": value}
        )
