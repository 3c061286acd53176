"""Masking personal data (个人信息) in anything that leaves the app: names, phones, ID numbers.

Every export masks by default; only an explicit option shows the full values (and only in the
信访 register). Word reports use the same functions, so a phone number never leaks by accident.

    mask_phone("13812345668")           → "138****5668"
    mask_phone("0730-5212345")          → "0730-***2345"
    mask_id_number("430681199003071234") → "430681********1234"
    mask_name("王建国")                  → "王*国"
    mask_text("来电13812345668反映…")     → "来电138****5668反映…"
"""

from __future__ import annotations

import re

_MOBILE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_LANDLINE_IN_TEXT = re.compile(r"(?<!\d)(0\d{2,3}-?)(\d{3,4})(\d{4})(?!\d)")
_ID_CHARS = re.compile(r"[0-9]{17}[0-9X]")


def mask_phone(phone: str) -> str:
    """Keep the first 3 and last 4 digits of a mobile; the area code and last 4 of a landline."""
    phone = (phone or "").strip()
    if not phone:
        return ""
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]}****{digits[-4:]}"
    landline = _LANDLINE_IN_TEXT.fullmatch(phone.replace(" ", ""))
    if landline:
        area, middle, last = landline.groups()
        return f"{area}{'*' * len(middle)}{last}"
    if len(digits) <= 4:
        return "*" * len(phone)
    return f"{'*' * (len(digits) - 4)}{digits[-4:]}"


def mask_id_number(number: str) -> str:
    """居民身份证号: keep the 6-digit region code and the last 4 characters."""
    number = (number or "").strip().upper()
    if not number:
        return ""
    if len(number) <= 4:
        return "*" * len(number)
    keep_head = 6 if len(number) >= 15 else 1
    return f"{number[:keep_head]}{'*' * (len(number) - keep_head - 4)}{number[-4:]}"


def mask_name(name: str) -> str:
    """王建国 → 王*国, 李明 → 李*, 欧阳小芳 → 欧**芳; group names ("张三等5人") mask each name."""
    name = (name or "").strip()
    if not name:
        return ""
    if "等" in name:  # "张三等5人"
        head, _, tail = name.partition("等")
        return f"{mask_name(head)}等{tail}"
    if len(name) == 1:
        return name
    if len(name) == 2:
        return f"{name[0]}*"
    return f"{name[0]}{'*' * (len(name) - 2)}{name[-1]}"


def mask_text(text: str) -> str:
    """Mask phones and ID numbers that a clerk typed into free text (摘要, 答复 …)."""
    if not text:
        return text or ""
    text = _ID_IN_TEXT.sub(lambda m: f"{m.group(1)}{'*' * 8}{m.group(3)}", text)
    text = _MOBILE_IN_TEXT.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    return text


def id_check_char(first17: str) -> str:
    """GB 11643 check character of an 18-character 居民身份证号."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c) * w for c, w in zip(first17, weights, strict=True))
    return "10X98765432"[total % 11]


def validate_id_number(number: str) -> str | None:
    """An 18-character 居民身份证号 with a correct check character; empty is allowed."""
    number = (number or "").strip().upper()
    if not number:
        return None
    if len(number) != 18:
        return f"身份证号应为18位，当前为{len(number)}位"
    if not _ID_CHARS.fullmatch(number):  # str.isdigit() would pass '①', '²' and other scripts' digits
        return "身份证号只能由数字组成（最后一位可为X）"
    if id_check_char(number[:17]) != number[17]:
        return "身份证号校验位不正确，请核对是否录错"
    return None
