import pytest

from app.text import clean, fold, nfc, sort_key


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Đắk Đoa", "dak doa"),
        ("Ia Boòng", "ia boong"),
        ("TRƯỜNG HỌC", "truong hoc"),
        ("  Nhà   văn hóa\tthôn ", "nha van hoa thon"),
        ("Trư\u200bờng\u2060 học\u202e\u202c\x07", "truong hoc"),
        ("Biên bản\x0bhọp\ufeff", "bien ban hop"),
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


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("Tờ trình\x07 số 5", "Tờ trình số 5"),
        ("a\x00b\x1bc\x7fd\x9fe", "abcde"),
        ("dòng 1\r\ndòng 2\rdòng 3\x0bdòng 4\x0cdòng 5\u2028dòng 6", "dòng 1\ndòng 2\ndòng 3\ndòng 4\ndòng 5\ndòng 6"),
        ("cột\tcột", "cột\tcột"),
        ("Trư\u200bờng\u200c \u200dhọc\u2060\ufeff", "Trường học"),
        ("\u202eGNOUB AI\u202c \u200e\u200f\u202a\u202b\u202d\u2066\u2067\u2068\u2069", "GNOUB AI "),
        ("Đắk Đoa", "Đắk Đoa"),
        ("", ""),
        (None, None),
        (5, 5),
    ],
)
def test_clean_takes_out_control_and_invisible_characters(raw, cleaned):
    assert clean(raw) == cleaned
