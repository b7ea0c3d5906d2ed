"""The translation catalogues: the language switcher reaches them, and they are complete and sound.

The .mo files are committed, so a machine without GNU gettext serves the same text as the .po files say;
these tests fail when a .po was edited without compiling it again."""

import gettext
import re
from pathlib import Path

import django
import polib
import pytest
from django.conf import settings
from django.urls import reverse

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
DJANGO_LOCALE_DIR = Path(django.__file__).parent / "conf" / "locale"

# Django language code -> (catalogue folder, the navigation as it must read in that language).
LANGUAGES = {
    "sq": ("sq", {"Organisations": "Organizatat", "Groups": "Grupet", "Our tasks": "Detyrat tona"}),
    "sr-latn": ("sr_Latn", {"Organisations": "Organizacije", "Groups": "Grupe", "Our tasks": "Naši zadaci"}),
    "mk": ("mk", {"Organisations": "Организации", "Groups": "Групи", "Our tasks": "Наши задачи"}),
}
CATALOGUES = sorted(folder for folder, _ in LANGUAGES.values())

# %(name)s, %d, %%: what Python's % operator reads in a string.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def _po(folder: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / folder / "LC_MESSAGES" / "django.po"))


def _mo_path(folder: str) -> Path:
    return LOCALE_DIR / folder / "LC_MESSAGES" / "django.mo"


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


# --- The language switcher ------------------------------------------------------------------------------


def _choose_language(client, code: str) -> None:
    response = client.post(reverse("set_language"), {"language": code, "next": reverse("home")})
    assert response.status_code == 302
    assert response.url == reverse("home")


@pytest.mark.parametrize("page", ["home", "network:organisation-list"])
@pytest.mark.parametrize("code", list(LANGUAGES))
def test_choosing_a_language_translates_the_navigation(client, anna, code, page):
    client.force_login(anna)
    _choose_language(client, code)

    response = client.get(reverse(page))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{code}">' in html
    for english, translated in LANGUAGES[code][1].items():
        assert f">{translated}</a>" in html
        assert f">{english}</a>" not in html


def test_montenegrin_can_be_chosen_and_reads_its_serbian_latin_seed(client, anna):
    """No catalogue of its own would make Django refuse the code and the switcher do nothing."""
    client.force_login(anna)
    _choose_language(client, "cnr")
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="cnr">' in html
    assert ">Organizacije</a>" in html


def test_montenegrin_catalogue_is_kept_in_step_with_serbian_latin():
    montenegrin = {entry.msgid for entry in _po("cnr")}
    serbian = {entry.msgid for entry in _po("sr_Latn")}
    assert montenegrin == serbian


def test_the_organisation_list_shows_translated_choices(client, anna):
    client.force_login(anna)
    _choose_language(client, "sr-latn")

    html = client.get(reverse("network:organisation-list")).content.decode()

    # Shelter North's sector and the column headings come from the catalogue too.
    assert "<td>Sklonište</td>" in html
    assert ">Sektor</th>" in html


def test_without_a_choice_pages_are_in_english(client, anna):
    client.force_login(anna)

    html = client.get(reverse("home")).content.decode()

    assert '<html lang="en">' in html
    assert ">Our tasks</a>" in html


# --- The catalogues themselves --------------------------------------------------------------------------


@pytest.mark.parametrize("folder", CATALOGUES)
def test_compiled_catalogue_matches_its_source(folder):
    po_entries = {
        (entry.msgid, entry.msgid_plural): entry.msgstr_plural or entry.msgstr
        for entry in _po(folder).translated_entries()
    }
    mo_entries = {
        (entry.msgid, entry.msgid_plural): entry.msgstr_plural or entry.msgstr
        for entry in polib.mofile(str(_mo_path(folder)))
        if entry.msgid
    }
    assert po_entries
    assert mo_entries == po_entries


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_compiled_catalogue_loads_with_its_plural_rule(code):
    folder, navigation = LANGUAGES[code]
    with _mo_path(folder).open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)

    assert catalogue.gettext("Our tasks") == navigation["Our tasks"]
    # The header (and so Plural-Forms) must not be fuzzy, or msgfmt leaves it out and English plurals apply.
    # 1, 2 and 5 fall in three different forms in Serbian, two in Albanian and Macedonian.
    forms = {catalogue.ngettext("%(counter)s open task", "%(counter)s open tasks", n) for n in (1, 2, 5)}
    assert len(forms) == len(_po(folder).find("%(counter)s open task").msgstr_plural)


@pytest.mark.parametrize("folder", CATALOGUES)
def test_plural_forms_are_djangos_own_for_the_language(folder):
    ours = _po(folder).metadata["Plural-Forms"]
    djangos_po = polib.pofile(str(DJANGO_LOCALE_DIR / folder / "LC_MESSAGES" / "django.po"))
    djangos = djangos_po.metadata["Plural-Forms"]
    assert ours.replace(" ", "") == djangos.replace(" ", "")


@pytest.mark.parametrize("folder", CATALOGUES)
def test_no_entry_is_fuzzy(folder):
    po = _po(folder)
    assert not po.metadata_is_fuzzy
    assert [entry.msgid for entry in po.fuzzy_entries()] == []


@pytest.mark.parametrize("folder", CATALOGUES)
def test_translations_keep_the_placeholders_of_their_source(folder):
    po = _po(folder)
    nplurals = int(re.search(r"nplurals=(\d+)", po.metadata["Plural-Forms"]).group(1))
    wrong = []
    for entry in po.translated_entries():
        if entry.msgid_plural:
            if len(entry.msgstr_plural) != nplurals:
                wrong.append((entry.msgid, "number of plural forms"))
            wanted = _placeholders(entry.msgid_plural)
            wrong += [
                (entry.msgid, form) for form in entry.msgstr_plural.values() if _placeholders(form) != wanted
            ]
        elif _placeholders(entry.msgstr) != _placeholders(entry.msgid):
            wrong.append((entry.msgid, entry.msgstr))
    assert wrong == []
