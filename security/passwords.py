"""Password rules beyond Django's validators: a length rule that speaks Chinese (Django 5.2's
Chinese catalogue lacks its new wording) and characters of several kinds."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

CLASSES = (
    ("小写字母", str.islower),
    ("大写字母", str.isupper),
    ("数字", str.isdigit),
    ("其他符号", lambda char: not char.isalnum()),
)


def character_classes(password):
    """How many of the four kinds (lower case, upper case, digits, others) `password` uses.

    A Chinese character is a letter of neither case: it counts as none of the first three, nor as a
    symbol, so that a name in Chinese does not stand in for a kind."""
    return sum(any(test(char) for char in password) for _, test in CLASSES)


class CharacterClassesValidator:
    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                f"密码须包含小写字母、大写字母、数字、其他符号四类字符中的至少 {self.min_classes} 类。",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"密码须包含小写字母、大写字母、数字、其他符号四类字符中的至少 {self.min_classes} 类。"


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self):
        return f"密码至少需要 {self.min_length} 个字符。"
