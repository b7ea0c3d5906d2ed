from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from concord.accounts.models import User
from concord.cases.management.commands.generate_bench_cases import (
    BENCH_CASEWORKER,
    BENCH_CASEWORKER_CASES,
    BENCH_MANAGER,
)
from concord.cases.models import Case, CaseAssignment, Referral
from concord.common.encryption import blind_index


def generate(**options):
    out = StringIO()
    call_command("generate_bench_cases", stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_generates_a_case_load_the_bench_users_see():
    output = generate(cases=400, organisations=10, users=40)
    assert "Generated in" in output
    assert Case.objects.count() == 400
    assert User.objects.count() == 40
    manager = User.objects.get(email=BENCH_MANAGER)
    worker = User.objects.get(email=BENCH_CASEWORKER)
    assert manager.has_two_factor()
    assert Case.objects.visible_to(manager).count() >= 400 * 3 // 100
    assert CaseAssignment.objects.filter(user=worker).count() == BENCH_CASEWORKER_CASES
    assert Case.objects.visible_to(worker).count() >= BENCH_CASEWORKER_CASES
    assert 0.2 < Referral.objects.count() / 400 < 0.4


@pytest.mark.django_db
def test_identity_fields_are_real_tokens_that_decrypt():
    generate(cases=200, organisations=4, users=10)
    case = Case.objects.first()
    assert case.first_name
    assert case.middle_name == ""
    assert case.identity_number_bidx == blind_index(case.identity_number, purpose="identity_number")


@pytest.mark.django_db
def test_refuses_a_database_that_holds_users(dora):
    with pytest.raises(CommandError, match="fresh benchmark database"):
        generate(cases=200, organisations=4, users=10)
    assert not Case.objects.exists()
