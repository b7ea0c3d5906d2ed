from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import validate_totp_code
from allauth.mfa.utils import decrypt
from django.core.management import CommandError, call_command

from concord.accounts.models import ROLES_REQUIRING_TWO_FACTOR, Membership, Role, User
from concord.coordination.models import ActionPlan, Task
from concord.demo.marks import demo_totp_secret
from concord.demo.people import DEFAULT_PASSWORD
from concord.network.models import (
    ESSENTIAL_SERVICES,
    ContactPerson,
    CooperationGroup,
    Country,
    Organisation,
    OrgType,
    Region,
    Sector,
)


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    return seed()


def snapshot() -> dict[str, int]:
    return {
        "countries": Country.objects.count(),
        "regions": Region.objects.count(),
        "organisations": Organisation.objects.count(),
        "contacts": ContactPerson.objects.count(),
        "groups": CooperationGroup.objects.count(),
        "tasks": Task.objects.count(),
        "users": User.objects.count(),
        "authenticators": Authenticator.objects.count(),
    }


def test_loading_prints_the_sign_ins_and_the_password(demo):
    assert "network.admin@demo.concord.example" in demo
    assert DEFAULT_PASSWORD in demo
    assert "demo_code" in demo


def test_the_password_comes_from_the_environment_when_set(db, monkeypatch):
    monkeypatch.setenv("CONCORD_DEMO_PASSWORD", "another demo password")
    seed()
    admin = User.objects.get(email="network.admin@demo.concord.example")
    assert admin.check_password("another demo password")


def test_countries_are_named_as_their_users_expect(demo):
    assert Country.objects.get(code="MK").name == "North Macedonia"
    assert Country.objects.get(code="XK").name_sq == "Kosova"
    assert Country.objects.get(code="MK").name_mk == "Северна Македонија"


def test_albania_has_its_twelve_qarks_with_iso_codes(demo):
    qarks = Region.objects.filter(country_id="AL")
    assert qarks.count() == 12
    assert qarks.get(code="AL-06").name == "Korçë"


def test_every_organisation_type_and_sector_occurs(demo):
    assert set(Organisation.objects.values_list("org_type", flat=True)) == set(OrgType.values)
    assert set(Organisation.objects.values_list("sector", flat=True)) == set(Sector.values)


def test_every_role_has_a_demo_user(demo):
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)


def test_roles_requiring_two_factor_have_the_fixed_demo_authenticator(demo):
    for membership in Membership.objects.select_related("user"):
        authenticator = Authenticator.objects.filter(
            user=membership.user, type=Authenticator.Type.TOTP
        ).first()
        if membership.role in ROLES_REQUIRING_TWO_FACTOR:
            assert decrypt(authenticator.data["secret"]) == demo_totp_secret(membership.user.email)
        else:
            assert authenticator is None


def test_every_task_status_occurs(demo):
    assert set(Task.objects.values_list("status", flat=True)) == set(Task.Status.values)


def test_some_tasks_are_overdue_and_some_were_done_late(demo):
    assert Task.objects.overdue().exists()
    done = Task.objects.filter(status=Task.Status.DONE)
    assert any(not task.was_done_on_time() for task in done)
    assert any(task.was_done_on_time() for task in done)


def test_some_tasks_go_to_organisations_outside_their_group(demo):
    outside = [
        task
        for task in Task.objects.all()
        if task.assigned_organisation_id not in task.group.current_member_ids()
    ]
    assert outside


def test_every_country_has_an_action_plan_across_the_four_pillars(demo):
    for plan in ActionPlan.objects.all():
        assert set(plan.objectives.values_list("pillar", flat=True)) == {
            "partnership", "protection", "prosecution", "prevention",
        }  # fmt: skip
    assert set(ActionPlan.objects.values_list("country_id", flat=True)) == set(
        Country.objects.values_list("code", flat=True)
    )
    assert Task.objects.filter(activity__isnull=False).exists()


def test_some_region_with_organisations_lacks_a_shelter_and_legal_aid(demo):
    def missing(region: Region) -> set[str]:
        offered = set(
            Organisation.objects.filter(areas_covered=region).values_list("services__kind", flat=True)
        )
        return set(ESSENTIAL_SERVICES) - offered

    regions_with_organisations = Region.objects.filter(organisations__isnull=False).distinct()
    gaps = [missing(region) for region in regions_with_organisations]
    assert any({"shelter", "legal_aid"} <= gap for gap in gaps)


def test_contact_people_are_shared_only_with_recorded_consent(demo):
    assert ContactPerson.objects.filter(shared_with_network=True).exists()
    assert ContactPerson.objects.filter(shared_with_network=False).exists()
    assert not ContactPerson.objects.filter(
        shared_with_network=True, consent_recorded_at__isnull=True
    ).exists()


def test_running_twice_creates_nothing_more(demo):
    before = snapshot()
    output = seed()
    assert "already loaded" in output
    assert snapshot() == before


def test_reset_reloads_the_same_network(demo):
    before = snapshot()
    contacts_before = list(ContactPerson.objects.order_by("organisation__name", "full_name").values_list(
        "organisation__name", "full_name", "shared_with_network"
    ))  # fmt: skip
    old_admin = User.objects.get(email="network.admin@demo.concord.example").pk
    seed("--reset")
    assert snapshot() == before
    assert User.objects.get(email="network.admin@demo.concord.example").pk != old_admin
    assert list(ContactPerson.objects.order_by("organisation__name", "full_name").values_list(
        "organisation__name", "full_name", "shared_with_network"
    )) == contacts_before  # fmt: skip


def test_reset_refuses_when_the_database_holds_real_users(demo, dora):
    with pytest.raises(CommandError, match="real data"):
        seed("--reset")
    assert User.objects.filter(email="network.admin@demo.concord.example").exists()


def test_loading_refuses_into_a_database_with_real_organisations(shelter_north):
    with pytest.raises(CommandError, match="real data"):
        seed()
    assert not User.objects.filter(email__endswith="@demo.concord.example").exists()


def test_demo_code_prints_the_current_code_of_a_demo_user(demo):
    out = StringIO()
    call_command("demo_code", "caseworker@demo.concord.example", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6
    assert validate_totp_code(demo_totp_secret("caseworker@demo.concord.example"), code)


def test_demo_code_refuses_users_outside_the_demo(demo, anna):
    with pytest.raises(CommandError, match="not a demo user"):
        call_command("demo_code", anna.email, stdout=StringIO())


def test_demo_code_refuses_a_demo_address_nobody_has(demo):
    with pytest.raises(CommandError, match="no demo user"):
        call_command("demo_code", "nobody@demo.concord.example", stdout=StringIO())


def test_api_token_is_given_to_demo_users_only(demo, anna):
    out = StringIO()
    call_command("api_token", "network.admin@demo.concord.example", stdout=out)
    admin = User.objects.get(email="network.admin@demo.concord.example")
    assert out.getvalue().strip() == admin.auth_token.key
    with pytest.raises(CommandError, match="not a demo user"):
        call_command("api_token", anna.email, stdout=StringIO())
