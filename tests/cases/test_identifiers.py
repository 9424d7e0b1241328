import pytest
from django.core.exceptions import ValidationError

from cases.people.identifiers import (
    UPN_LETTERS,
    format_nhs_number,
    nhs_number_with_check_digit,
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    upn_check_letter,
    validate_nhs_number,
    validate_postcode,
    validate_upn,
)


def error_of(validator, value):
    with pytest.raises(ValidationError) as caught:
        validator(value)
    return caught.value.messages, caught.value.code


# NHS numbers


@pytest.mark.parametrize("number", ["9434765919", "4010232137", "943 476 5919", "401-023-2137"])
def test_valid_nhs_numbers_are_accepted(number):
    assert validate_nhs_number(number) is None


def test_nhs_number_check_digit_is_computed_with_weights_10_to_2():
    # 9*10 + 4*9 + 3*8 + 4*7 + 7*6 + 6*5 + 5*4 + 9*3 + 1*2 = 299; 299 % 11 = 2; 11 - 2 = 9
    assert nhs_number_with_check_digit("943476591") == "9434765919"
    assert nhs_number_with_check_digit("401023213") == "4010232137"


def test_check_11_becomes_0():
    # 1*10 + 1*9 + 1*3 = 22; 22 % 11 = 0; 11 - 0 = 11, written as 0
    assert nhs_number_with_check_digit("110000010") == "1100000100"
    assert validate_nhs_number("110 000 0100") is None


def test_nhs_number_normalises_spaces_and_hyphens():
    assert normalise_nhs_number(" 943 476-5919 ") == "9434765919"
    assert format_nhs_number("9434765919") == "943 476 5919"
    assert format_nhs_number("943-476-5919") == "943 476 5919"
    assert format_nhs_number("not a number") == "not a number"


def test_wrong_nhs_check_digit_is_refused():
    assert error_of(validate_nhs_number, "943 476 5918") == (
        ["Enter a real NHS number: the check digit is wrong"],
        "nhs_number_check_digit",
    )


def test_the_gov_uk_hint_example_is_not_a_real_nhs_number():
    # "485 777 3456" (the GOV.UK hint) has check digit 7, so it can never match a real child.
    assert nhs_number_with_check_digit("485777345") == "4857773457"
    assert error_of(validate_nhs_number, "485 777 3456")[1] == "nhs_number_check_digit"


def test_a_stem_with_check_10_cannot_exist():
    # 1*10 + 2*9 + 3*8 + 4*7 + 5*6 + 6*5 + 7*4 + 8*3 + 9*2 = 210; 210 % 11 = 1; 11 - 1 = 10.
    assert nhs_number_with_check_digit("123456789") is None
    for last_digit in "0123456789":
        assert error_of(validate_nhs_number, "123456789" + last_digit) == (
            ["Enter a real NHS number: this one cannot exist"],
            "nhs_number_impossible",
        )


@pytest.mark.parametrize("number", ["0000000000", "999 999 9999", "4444444444"])
def test_placeholder_numbers_of_one_repeated_digit_are_refused(number):
    digit = number[0]
    # They pass modulus 11, which is why they need refusing separately.
    assert nhs_number_with_check_digit(digit * 9) == digit * 10
    assert error_of(validate_nhs_number, number)[1] == "nhs_number_impossible"


@pytest.mark.parametrize(
    "number", ["", "943476591", "94347659190", "94347659A9", "943.476.5919", "９４３４７６５９１９"]
)
def test_nhs_numbers_not_of_10_digits_are_refused(number):
    assert error_of(validate_nhs_number, number) == (
        ["Enter an NHS number with 10 digits, like 485 777 3456"],
        "nhs_number_format",
    )


def test_nhs_number_helper_rejects_a_stem_that_is_not_9_digits():
    with pytest.raises(ValueError):
        nhs_number_with_check_digit("12345678")


# Unique Pupil Numbers


def test_upn_letter_table_has_23_letters_without_i_o_s():
    assert UPN_LETTERS == "ABCDEFGHJKLMNPQRTUVWXYZ"
    assert len(UPN_LETTERS) == 23
    assert not set("IOS") & set(UPN_LETTERS)


@pytest.mark.parametrize(
    "upn",
    [
        # Examples from the DfE UPN guidance: a permanent and a temporary UPN.
        "H801200001001",
        "G80120000101A",
        # The example in our own error message is a real UPN too.
        "A123456789012",
    ],
)
def test_valid_upns_are_accepted(upn):
    assert validate_upn(upn) is None


def test_upn_check_letter_is_modulus_23_of_weights_2_to_13():
    # 8*2 + 1*4 + 2*5 + 1*10 + 1*13 = 53; 53 % 23 = 7 -> H (A=0 ... H=7)
    assert upn_check_letter("801200001001") == "H"
    # A temporary UPN's final letter counts as its table value (A=0): 16+4+10+10+12 = 52 -> G
    assert upn_check_letter("80120000101A") == "G"
    # 7*2 = 14 -> Q: the table includes Q
    assert upn_check_letter("700000000000") == "Q"
    assert validate_upn("Q700000000000") is None
    # 1*13 = 13 -> P; 7*2 + 1*13 = 27 -> 4 -> E
    assert upn_check_letter("000000000001") == "P"
    assert upn_check_letter("700000000001") == "E"


def test_generated_upn_is_accepted():
    body = "20712345678" + "9"
    upn = upn_check_letter(body) + body
    assert validate_upn(upn) is None


def test_upn_is_normalised_to_upper_case_without_spaces():
    assert normalise_upn(" h801 2000 01001 ") == "H801200001001"
    assert validate_upn("h801200001001") is None
    assert validate_upn("g80120000101a") is None


@pytest.mark.parametrize("upn", ["Z801200001001", "A801200001001", "I801200001001"])
def test_wrong_upn_check_letter_is_refused(upn):
    assert error_of(validate_upn, upn) == (
        ["Enter a real UPN: the check letter is wrong"],
        "upn_check_letter",
    )


@pytest.mark.parametrize("upn", ["", "H80120000100", "H8012000010011"])
def test_upn_of_wrong_length_is_refused(upn):
    assert error_of(validate_upn, upn) == (
        ["Enter a UPN with 13 characters, like A123456789012"],
        "upn_length",
    )


@pytest.mark.parametrize("upn", ["H80120000A001", "1801200001001", "G80120000101I"])
def test_upn_of_wrong_shape_is_refused(upn):
    assert error_of(validate_upn, upn)[1] == "upn_format"


# Postcodes


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        (" sw1a  1aa ", "SW1A 1AA"),
        ("m11ae", "M1 1AE"),
        ("EC1A 1BB", "EC1A 1BB"),
    ],
)
def test_postcode_is_normalised(typed, normalised):
    assert normalise_postcode(typed) == normalised


@pytest.mark.parametrize(
    "postcode",
    ["sw1a1aa", "SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "W1A 0AX", "EC1A 1BB"],
)
def test_real_postcodes_are_accepted(postcode):
    assert validate_postcode(postcode) is None


@pytest.mark.parametrize(
    "postcode", ["", "SW1A", "12345", "ABC DEF", "SW1A 1AAA", "QA1 1AA", "SW1A 1AI", "BFPO 801"]
)
def test_invalid_postcodes_are_refused(postcode):
    assert error_of(validate_postcode, postcode) == (
        ["Enter a real postcode, like SW1A 1AA"],
        "postcode",
    )
