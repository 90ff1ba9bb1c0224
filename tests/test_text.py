import pytest

from app.text import fold, nfc, sort_key


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Đắk Đoa", "dak doa"),
        ("Ia Boòng", "ia boong"),
        ("TRƯỜNG HỌC", "truong hoc"),
        ("  Nhà   văn hóa\tthôn ", "nha van hoa thon"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_strips_marks_and_case(raw, folded):
    assert fold(raw) == folded


def test_fold_treats_composed_and_decomposed_alike():
    decomposed = "Tru\u031bo\u0300ng"  # ư and ò written with combining marks
    assert fold(decomposed) == fold("Trường") == "truong"


def test_nfc_composes():
    assert nfc("Tru\u031bo\u031b\u0300ng") == "Trườ" + "ng"
    assert nfc(None) is None


def test_sort_key_follows_vietnamese_alphabet():
    words = ["đá", "ân", "da", "ăn", "an", "bé", "ba", "ươm", "um", "ơi", "ôi", "oi", "bè", "be"]
    assert sorted(words, key=sort_key) == [
        "an", "ăn", "ân", "ba", "be", "bè", "bé", "da", "đá", "oi", "ôi", "ơi", "um", "ươm",
    ]


def test_sort_key_puts_d_before_dd_in_unit_names():
    names = ["Xã Đak Đoa", "Xã Đak Pơ", "Xã Chư Sê", "Xã Ia Boòng", "Xã An Khê"]
    assert sorted(names, key=sort_key) == ["Xã An Khê", "Xã Chư Sê", "Xã Đak Đoa", "Xã Đak Pơ", "Xã Ia Boòng"]
