from hypothesis import given
from hypothesis import strategies as st

from generator.core.scalars import CREDIT_CODE_ALPHABET as ALPHABET
from generator.core.scalars import credit_code_check_char as check_char
from generator.core.scalars import credit_code_problem as problem
from generator.core.scalars import is_valid_credit_code as is_valid

body = st.text(alphabet=ALPHABET, min_size=17, max_size=17)


def test_known_codes():
    assert is_valid("91350100M000100Y43")  # a published example code
    assert problem("91350100M000100Y44") is not None
    assert "18 位" in problem("9135010")
    assert "I" in problem("91350100M000100I43")


@given(body)
def test_completed_code_is_valid(first17):
    assert is_valid(first17 + check_char(first17))


@given(body, st.integers(0, 16), st.sampled_from(ALPHABET))
def test_any_single_change_is_caught(first17, position, replacement):
    code = first17 + check_char(first17)
    changed = code[:position] + replacement + code[position + 1:]
    # Weights are distinct and coprime to 31, so a single substitution always changes the sum.
    assert is_valid(changed) == (changed == code)


@given(body)
def test_check_matches_the_standard_formula(first17):
    weights = [pow(3, i, 31) for i in range(17)]  # GB 32100: W_i = 3^(i-1) mod 31
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, weights, strict=True))
    assert check_char(first17) == ALPHABET[(31 - total % 31) % 31]
