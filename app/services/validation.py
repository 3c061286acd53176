"""Field validators shared by forms, importers and checks. Each returns a Chinese message or None."""

from __future__ import annotations

import re

from app.services import parsing
from app.services.parsing import attempt

# GB 32100-2015 统一社会信用代码: 18 characters from this alphabet, the last a check character.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_MOBILE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$", re.ASCII)


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(code: str) -> str | None:
    """统一社会信用代码: optional, but when given it must be well-formed with a correct check char."""
    code = code.strip().upper()
    if not code:
        return None
    if len(code) != 18:
        return f"统一社会信用代码应为18位，当前为{len(code)}位"
    bad = [c for c in code if c not in _USCC_ALPHABET]
    if bad:
        return f"统一社会信用代码含有无效字符“{bad[0]}”（不使用 I、O、Z、S、V）"
    if uscc_check_char(code[:17]) != code[17]:
        return "统一社会信用代码校验位不正确，请核对是否录错"
    return None


def validate_phone(phone: str, *, required: bool = False) -> str | None:
    """A mainland mobile (11 digits) or a landline with area code (0730-5212345)."""
    phone = phone.strip().replace(" ", "")
    if not phone:
        return "请填写联系电话" if required else None
    if _MOBILE.match(phone) or _LANDLINE.match(phone):
        return None
    return "联系电话格式不正确：应为11位手机号或带区号的固定电话（如 0730-5212345）"


def validate_required(text: str, label: str) -> str | None:
    return None if text.strip() else f"请填写{label}"


def parse_count(text: str, label: str) -> tuple[int | None, str | None]:
    """A non-negative whole number typed by the user (at most 1e9); empty is allowed (None)."""
    return attempt(parsing.parse_count, text, label)
