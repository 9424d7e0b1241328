"""Identifiers for people and addresses: NHS numbers, Unique Pupil Numbers and postcodes.

Each identifier has three pure functions: ``normalise_*`` turns what someone typed into the
stored form, ``validate_*`` is a Django validator (it normalises first, so it accepts what a
person would type) and, where it helps, ``format_*`` gives the display form.

NHS number: 10 digits, the last a modulus 11 check digit (NHS Data Dictionary, "NHS Number").
We do not restrict the issuing ranges, so Scottish CHI numbers (same check digit) are accepted.

UPN: the DfE Unique Pupil Number, 13 characters: a check letter, the 3-digit LA number, the
4-digit DfE establishment number, 2 digits for the year of issue and a 3-digit serial. In a
temporary UPN the last character is a letter. The check letter is a modulus 23 check over
characters 2-13 (DfE, "Unique Pupil Numbers (UPN): guidance", and the DfE data-collection
validation rule 1510). We do not check the LA number against the DfE list, which changes
whenever local government is reorganised.

Postcode: the standard UK outward and inward code patterns, plus GIR 0AA. BFPO numbers and
overseas territories' postcodes are refused.
"""

import re

from django.core.exceptions import ValidationError


def clean_identifier(value, normalise, validate) -> str:
    """What someone typed into an identifier field, in its stored form: blank stays
    blank, anything else must be valid (`validate` raises Django's `ValidationError`)."""
    value = normalise(value or "")
    if value:
        validate(value)
    return value


# NHS numbers ----------------------------------------------------------------------------------

NHS_NUMBER_FORMAT_MESSAGE = "Enter an NHS number with 10 digits, like 485 777 3456"
NHS_NUMBER_CHECK_DIGIT_MESSAGE = "Enter a real NHS number: the check digit is wrong"
NHS_NUMBER_IMPOSSIBLE_MESSAGE = "Enter a real NHS number: this one cannot exist"

_NHS_NUMBER_PATTERN = re.compile(r"[0-9]{10}")
_NHS_NUMBER_SEPARATORS = re.compile(r"[\s\-]+")


def normalise_nhs_number(value: str) -> str:
    """The stored form of an NHS number: digits only ("485 777 3456" -> "4857773456").

    Only spaces and hyphens are removed, so anything else typed stays and fails validation.
    """
    return _NHS_NUMBER_SEPARATORS.sub("", value or "")


def _nhs_check_digit(nine_digits: str) -> int:
    """The modulus 11 check value for 9 digits: 0-9, or 10 when no NHS number can exist."""
    total = sum(
        int(digit) * weight for digit, weight in zip(nine_digits, range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    return 0 if check == 11 else check


def nhs_number_with_check_digit(nine_digits: str) -> str | None:
    """A valid NHS number from its first 9 digits, or None when the check digit would be 10.

    For tests and demo data.
    """
    if not re.fullmatch(r"[0-9]{9}", nine_digits):
        raise ValueError(f"Expected 9 digits, got {nine_digits!r}")
    check = _nhs_check_digit(nine_digits)
    if check == 10:
        return None
    return nine_digits + str(check)


def validate_nhs_number(value) -> None:
    number = normalise_nhs_number(str(value))
    if not _NHS_NUMBER_PATTERN.fullmatch(number):
        raise ValidationError(NHS_NUMBER_FORMAT_MESSAGE, code="nhs_number_format")
    # Every number made of one repeated digit passes the modulus 11 check (the weights 10..2
    # sum to 54, and 54 * d leaves the check digit d), so 0000000000 and 9999999999 look
    # valid. They are never issued: they are the placeholders other systems put in when the
    # number is unknown, and a placeholder must never match one child to another.
    if len(set(number)) == 1:
        raise ValidationError(NHS_NUMBER_IMPOSSIBLE_MESSAGE, code="nhs_number_impossible")
    check = _nhs_check_digit(number[:9])
    if check == 10:
        raise ValidationError(NHS_NUMBER_IMPOSSIBLE_MESSAGE, code="nhs_number_impossible")
    if check != int(number[9]):
        raise ValidationError(NHS_NUMBER_CHECK_DIGIT_MESSAGE, code="nhs_number_check_digit")


def format_nhs_number(value: str) -> str:
    """The display form, 3-3-4 digits ("485 777 3456"); anything not 10 digits is unchanged."""
    number = normalise_nhs_number(value)
    if not _NHS_NUMBER_PATTERN.fullmatch(number):
        return value
    return f"{number[:3]} {number[3:6]} {number[6:]}"


# Unique Pupil Numbers -------------------------------------------------------------------------

UPN_LENGTH_MESSAGE = "Enter a UPN with 13 characters, like A123456789012"
UPN_FORMAT_MESSAGE = (
    "Enter a UPN in the right format: a letter, 11 numbers, then a number or letter"
)
UPN_CHECK_LETTER_MESSAGE = "Enter a real UPN: the check letter is wrong"

# The DfE letter table: remainders 0-22 map to these 23 letters in order (A=0 ... H=7, J=8 ...
# N=12, P=13, Q=14, R=15, T=16 ... Z=22). I, O and S are left out because they are easily
# mistaken for 1, 0 and 5. The same table gives the value of a letter in character 13 of a
# temporary UPN.
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"

# Any letter first: I, O or S there is a letter that can never be the check letter, and the
# check letter message says what is wrong.
_UPN_PATTERN = re.compile(rf"[A-Z][0-9]{{11}}[0-9{UPN_LETTERS}]")
_UPN_BODY_PATTERN = re.compile(rf"[0-9]{{11}}[0-9{UPN_LETTERS}]")


def normalise_upn(value: str) -> str:
    """The stored form of a UPN: no whitespace, upper case ("a123 456789012" -> "A123456789012")."""
    return re.sub(r"\s+", "", value or "").upper()


def upn_check_letter(upn_without_check: str) -> str:
    """The check letter (character 1) for characters 2-13 of a UPN.

    DfE algorithm: multiply character 2 by 2, character 3 by 3 ... character 13 by 13 (a letter
    in character 13 counts as its value in the letter table), sum, take the remainder on
    dividing by 23, and look the remainder up in the letter table.
    """
    body = upn_without_check.upper()
    if not _UPN_BODY_PATTERN.fullmatch(body):
        raise ValueError(f"Expected 11 digits then a digit or letter, got {upn_without_check!r}")
    total = sum(
        weight * (int(character) if character.isdigit() else UPN_LETTERS.index(character))
        for weight, character in zip(range(2, 14), body, strict=True)
    )
    return UPN_LETTERS[total % 23]


def validate_upn(value) -> None:
    upn = normalise_upn(str(value))
    if len(upn) != 13:
        raise ValidationError(UPN_LENGTH_MESSAGE, code="upn_length")
    if not _UPN_PATTERN.fullmatch(upn):
        raise ValidationError(UPN_FORMAT_MESSAGE, code="upn_format")
    if upn_check_letter(upn[1:]) != upn[0]:
        raise ValidationError(UPN_CHECK_LETTER_MESSAGE, code="upn_check_letter")


# Postcodes ------------------------------------------------------------------------------------

POSTCODE_MESSAGE = "Enter a real postcode, like SW1A 1AA"

# Outward code: area letter(s) then district (A9, A99, AA9, AA99, A9A, AA9A); inward code: a
# digit then two letters. The letter classes leave out the letters Royal Mail never uses in
# each position (for example no Q, V or X as the first letter, no C, I, K, M, O or V in the
# last two).
_POSTCODE_PATTERN = re.compile(
    r"GIR 0AA"
    r"|[A-PR-UWYZ]"
    r"(?:[0-9]{1,2}|[A-HK-Y][0-9][0-9ABEHMNPRV-Y]?|[0-9][A-HJKPSTUW])"
    r" [0-9][ABD-HJLNP-UW-Z]{2}"
)


def normalise_postcode(value: str) -> str:
    """The stored form: upper case, one space before the inward code ("sw1a1aa" -> "SW1A 1AA")."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def validate_postcode(value) -> None:
    if not _POSTCODE_PATTERN.fullmatch(normalise_postcode(str(value))):
        raise ValidationError(POSTCODE_MESSAGE, code="postcode")
