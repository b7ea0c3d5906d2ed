"""Loading the tool definitions: idempotent, versioned, and screenings keep the version they used."""

import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from concord.audit.models import AuditEvent
from concord.cases.models import ScreeningTool
from concord.cases.services.screening import TOOLS_DIR, load_screening_tools, record_screening

pytestmark = pytest.mark.django_db


@pytest.fixture
def tool_dir(tmp_path):
    shutil.copy(TOOLS_DIR / "adults-labour.json", tmp_path / "adults-labour.json")
    return tmp_path


def _edit(tool_dir, change):
    path = tool_dir / "adults-labour.json"
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def test_loading_creates_one_current_version_per_definition():
    loaded = load_screening_tools()
    assert {item.tool.slug for item in loaded} == {
        "adults-labour",
        "adults-sexual",
        "children-labour",
        "children-sexual",
        "first-contact",
    }
    assert all(item.created and item.tool.version == 1 and item.tool.is_current for item in loaded)
    adults = ScreeningTool.objects.get(slug="adults-labour")
    assert (adults.population, adults.exploitation) == ("adult", "labour")
    assert "verify against ILO WCMS_105023" in adults.source
    assert AuditEvent.objects.filter(action="cases.screening_tool_loaded").count() == 5


def test_loading_again_changes_nothing():
    load_screening_tools()
    again = load_screening_tools()
    assert not any(item.created for item in again)
    assert ScreeningTool.objects.count() == 5


def test_a_changed_definition_becomes_a_new_current_version(tool_dir):
    (first,) = load_screening_tools(tool_dir)
    _edit(tool_dir, lambda d: d["indicators"][0].update(strength="medium"))
    (second,) = load_screening_tools(tool_dir)
    assert second.created
    assert second.tool.version == 2
    first.tool.refresh_from_db()
    assert not first.tool.is_current
    assert list(ScreeningTool.objects.filter(is_current=True).values_list("version", flat=True)) == [2]
    assert not load_screening_tools(tool_dir)[0].created


def test_a_screening_keeps_the_version_it_used_after_the_tool_changes(tool_dir, anna, shelter_north):
    (first,) = load_screening_tools(tool_dir)
    screening = record_screening(
        by=anna, organisation=shelter_north, tool=first.tool, answers={"dr_job": "yes"}
    )
    _edit(tool_dir, lambda d: d["indicators"].pop(0))
    (second,) = load_screening_tools(tool_dir)
    screening.refresh_from_db()
    assert screening.tool_id == first.tool.pk
    assert screening.tool.version == 1
    assert "dr_job" in {i["id"] for i in screening.tool.definition["indicators"]}
    assert "dr_job" not in {i["id"] for i in second.tool.definition["indicators"]}


def test_a_broken_definition_is_refused_before_anything_is_written(tool_dir):
    _edit(tool_dir, lambda d: d["indicators"][0].update(strength="enormous"))
    with pytest.raises(ValueError, match="strength"):
        load_screening_tools(tool_dir)
    assert not ScreeningTool.objects.exists()


def test_the_command_loads_and_reports(tool_dir, capsys):
    call_command("load_screening_tools", directory=tool_dir)
    call_command("load_screening_tools", directory=tool_dir)
    out = capsys.readouterr().out
    assert "adults-labour v1: new version" in out
    assert "adults-labour v1: unchanged" in out
    _edit(tool_dir, lambda d: d.update(rule={}))
    with pytest.raises(CommandError):
        call_command("load_screening_tools", directory=tool_dir)
