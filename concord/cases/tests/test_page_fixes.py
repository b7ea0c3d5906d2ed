"""Page defects the browser acceptance test (browser_tests/test_referral_flow.py) showed: the 404 page of a
case the reader may not see, the identity form's inputs, and the label of a list of checkboxes."""

# ruff: noqa: F811  (fixtures imported from case_fixtures are parameters of the tests)
import re

import pytest
from django.urls import reverse

from concord.cases.tests.case_fixtures import (  # noqa: F401
    as_user,
    reauthenticate,
    shelter_case,
)

pytestmark = pytest.mark.django_db


def test_a_case_the_reader_may_not_see_gets_the_sites_404_page_without_the_case(as_user, shelter_case):
    response = as_user("carla").get(reverse("cases:detail", args=[shelter_case.code]))
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert 'id="main"' in body  # the site's own layout, with its navigation, not the server's bare page
    # The address itself comes back only in the language switcher's "next" field; the page says nothing of it.
    main = body[body.index('<main id="main"') : body.index("</main>")]
    assert shelter_case.code not in main
    assert "Elira" not in body


def test_an_unknown_address_gets_the_same_404_page_signed_out(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_identity_form_has_one_line_inputs_not_text_areas(client, anna, shelter_case):
    client.force_login(anna)
    reauthenticate(client, anna)
    body = client.get(reverse("cases:identity_edit", args=[shelter_case.code])).content.decode()
    assert re.search(r'<input type="text" name="first_name"[^>]*value="Elira"', body)
    assert '<textarea name="first_name"' not in body
    assert "<textarea" not in body


def test_a_list_of_checkboxes_is_a_fieldset_whose_legend_comes_first(as_user, shelter_case):
    body = as_user("anna").get(reverse("cases:referral_new", args=[shelter_case.code])).content.decode()
    legend = body.index('<legend class="form-label fs-6">Services asked for</legend>')
    first_service = body.index('name="services"')
    assert legend < first_service
    # A single checkbox keeps its label after the box.
    assert body.count("<fieldset") >= 2  # services asked for, sections shared
