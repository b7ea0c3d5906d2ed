"""Fixtures of the registry's tests, on top of the shared cast in concord/conftest.py."""

import pytest
from rest_framework.test import APIClient

from concord.network.tests.factories import ContactPersonFactory


@pytest.fixture
def private_contact(shelter_north):
    """A contact person at Shelter North who has not consented to be shared with the network."""
    return ContactPersonFactory(
        organisation=shelter_north, full_name="Private Pranvera", shared_with_network=False
    )


@pytest.fixture
def shared_contact(shelter_north):
    """A contact person at Shelter North who consented to be listed in the network directory."""
    return ContactPersonFactory(
        organisation=shelter_north, full_name="Shared Sokol", shared_with_network=True
    )


@pytest.fixture
def api():
    return APIClient()
