"""The rule engine (cases/scoring.py) on the shipped definitions: each branch of the rule, adults against
children, and the properties a screener relies on (more "yes" never takes a suggestion away; "unknown"
never counts)."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from concord.cases import scoring
from concord.cases.scoring import INCOMPLETE, NO_INDICATION, POSSIBLE_VICTIM, assess
from concord.cases.services.screening import TOOLS_DIR

DEFINITIONS = {path.stem: json.loads(path.read_text()) for path in sorted(TOOLS_DIR.glob("*.json"))}
ADULTS_LABOUR = DEFINITIONS["adults-labour"]
ADULTS_SEXUAL = DEFINITIONS["adults-sexual"]
CHILDREN_LABOUR = DEFINITIONS["children-labour"]
CHILDREN_SEXUAL = DEFINITIONS["children-sexual"]
FIRST_CONTACT = DEFINITIONS["first-contact"]


def all_answered(definition, value="no", **overrides):
    answers = dict.fromkeys(scoring.indicator_ids(definition), value)
    answers.update(overrides)
    return answers


def positive(definition, dimension, **yes):
    result = assess(definition, all_answered(definition, **dict.fromkeys(yes, "yes")))
    return result.dimension(dimension).positive


# --- The shipped definitions ----------------------------------------------------------------------------


def test_the_five_sets_are_shipped():
    assert set(DEFINITIONS) == {
        "adults-labour",
        "adults-sexual",
        "children-labour",
        "children-sexual",
        "first-contact",
    }


@pytest.mark.parametrize("slug", sorted(DEFINITIONS))
def test_each_definition_is_usable_and_names_its_source_and_caveat(slug):
    definition = DEFINITIONS[slug]
    assert scoring.validate_definition(definition) == []
    assert "verify against ILO WCMS_105023" in definition["source"]
    assert definition["i18n"]
    assert 12 <= len(definition["indicators"]) <= 25
    assert {d["id"] for d in definition["dimensions"]} == set(scoring.DIMENSION_LABELS)


def test_the_same_indicator_escalates_from_recruitment_to_destination():
    strength = {i["id"]: i["strength"] for i in ADULTS_LABOUR["indicators"]}
    assert (strength["cr_debt"], strength["cd_debt"]) == ("medium", "strong")
    assert (strength["cr_documents"], strength["cd_documents"]) == ("medium", "strong")


def test_validate_definition_reports_what_is_wrong():
    broken = json.loads(json.dumps(ADULTS_LABOUR))
    broken["indicators"][0]["strength"] = "huge"
    broken["indicators"][1]["dimension"] = "nowhere"
    broken["rule"]["possible_victim_when_any"][0]["all"].append({"sometimes": ["coercive_recruitment"]})
    problems = " ".join(scoring.validate_definition(broken))
    assert "strength" in problems
    assert "unknown dimension" in problems
    assert "sometimes" in problems


# --- A dimension: each condition of the rule --------------------------------------------------------------


def test_two_strong_indicators_make_a_dimension_positive():
    assert positive(ADULTS_LABOUR, "coercion_at_destination", cd_violence=1, cd_debt=1)
    assert not positive(ADULTS_LABOUR, "coercion_at_destination", cd_violence=1)


def test_one_strong_and_one_medium_or_weak_make_a_dimension_positive():
    assert positive(ADULTS_LABOUR, "exploitative_conditions", ec_hours=1, ec_salary=1)  # strong + medium
    assert positive(ADULTS_LABOUR, "exploitative_conditions", ec_hours=1, ec_protection=1)  # strong + weak


def test_three_medium_indicators_make_a_dimension_positive_two_do_not():
    assert positive(ADULTS_LABOUR, "deceptive_recruitment", dr_conditions=1, dr_wages=1, dr_documents=1)
    assert not positive(ADULTS_LABOUR, "deceptive_recruitment", dr_conditions=1, dr_wages=1)


def test_two_medium_and_one_weak_make_a_dimension_positive():
    assert positive(
        ADULTS_LABOUR, "recruitment_abuse_of_vulnerability", rv_family=1, rv_economic=1, rv_beliefs=1
    )
    assert not positive(ADULTS_LABOUR, "recruitment_abuse_of_vulnerability", rv_family=1, rv_beliefs=1)


def test_the_dimension_reason_names_the_answers_and_the_condition_met():
    result = assess(ADULTS_LABOUR, all_answered(ADULTS_LABOUR, ec_hours="yes", ec_salary="yes"))
    reason = result.dimension("exploitative_conditions").reason
    assert "1 strong, 1 medium" in reason
    assert "1 strong + 1 medium or weak" in reason


# --- The whole rule: adults -------------------------------------------------------------------------------

ADULT_VICTIM = {
    "dr_job": "yes",
    "dr_wages": "yes",  # deceptive recruitment: strong + medium
    "ec_hours": "yes",
    "ec_salary": "yes",  # exploitative conditions: strong + medium
    "cd_debt": "yes",
    "cd_documents": "yes",  # coercion at destination: two strong
}


def test_adults_recruitment_exploitation_and_destination_make_a_possible_victim():
    result = assess(ADULTS_LABOUR, all_answered(ADULTS_LABOUR, **ADULT_VICTIM))
    assert result.suggestion == POSSIBLE_VICTIM
    assert result.met_clauses == ("act_means_purpose",)
    assert any("The rule is met" in reason for reason in result.reasons)


def test_any_recruitment_dimension_and_any_destination_dimension_will_do():
    answers = all_answered(
        ADULTS_LABOUR,
        cr_violence="yes",
        cr_debt="yes",  # coercive recruitment
        ec_hours="yes",
        ec_living="yes",
        vd_dependency="yes",
        vd_language="yes",
        vd_family="yes",  # abuse of vulnerability at destination: 2 medium + 1 weak
    )
    assert assess(ADULTS_LABOUR, answers).suggestion == POSSIBLE_VICTIM


@pytest.mark.parametrize("left_out", [("dr_job", "dr_wages"), ("ec_hours", "ec_salary"), ("cd_debt",)])
def test_adults_need_all_three_elements(left_out):
    answers = all_answered(ADULTS_LABOUR, **ADULT_VICTIM)
    for indicator in left_out:
        answers[indicator] = "no"
    result = assess(ADULTS_LABOUR, answers)
    assert result.suggestion == NO_INDICATION
    assert any("The rule is not met: missing" in reason for reason in result.reasons)


def test_exploitation_alone_is_no_indication_for_an_adult_but_a_possible_victim_for_a_child():
    adult = assess(ADULTS_SEXUAL, all_answered(ADULTS_SEXUAL, ec_clients="yes", ec_hours="yes"))
    child = assess(CHILDREN_SEXUAL, all_answered(CHILDREN_SEXUAL, ec_sexual_acts="yes", ec_clients="yes"))
    assert adult.suggestion == NO_INDICATION
    assert child.suggestion == POSSIBLE_VICTIM
    assert child.met_clauses == ("exploitation",)


def test_children_recruitment_with_one_exploitation_indicator_is_a_possible_victim():
    answers = all_answered(CHILDREN_LABOUR, dr_job="yes", dr_education="yes", ec_salary="yes")
    result = assess(CHILDREN_LABOUR, answers)
    assert not result.dimension("exploitative_conditions").positive
    assert result.suggestion == POSSIBLE_VICTIM
    assert result.met_clauses == ("recruitment_and_exploitation_indicators",)


def test_children_recruitment_without_any_exploitation_indicator_is_no_indication():
    answers = all_answered(CHILDREN_LABOUR, dr_job="yes", dr_education="yes")
    assert assess(CHILDREN_LABOUR, answers).suggestion == NO_INDICATION


def test_first_contact_refers_on_any_positive_dimension():
    answers = all_answered(FIRST_CONTACT, fc_documents="yes", fc_not_free="yes")
    assert assess(FIRST_CONTACT, answers).suggestion == POSSIBLE_VICTIM
    assert assess(FIRST_CONTACT, all_answered(FIRST_CONTACT, fc_documents="yes")).suggestion == NO_INDICATION


# --- Unknown answers --------------------------------------------------------------------------------------


def test_more_than_a_third_unknown_is_incomplete_not_no_indication():
    ids = scoring.indicator_ids(ADULTS_LABOUR)
    third = len(ids) // 3  # 25 indicators: 8 unknown is not more than a third, 9 is
    answers = all_answered(ADULTS_LABOUR, **dict.fromkeys(ids[:third], "unknown"))
    assert assess(ADULTS_LABOUR, answers).suggestion == NO_INDICATION
    answers[ids[third]] = "unknown"
    result = assess(ADULTS_LABOUR, answers)
    assert result.suggestion == INCOMPLETE
    assert any("9 of 25 indicators are unknown" in reason for reason in result.reasons)


def test_a_met_rule_stays_possible_victim_however_much_is_unknown():
    answers = all_answered(ADULTS_LABOUR, "unknown", **ADULT_VICTIM)
    assert assess(ADULTS_LABOUR, answers).suggestion == POSSIBLE_VICTIM


def test_missing_answers_and_odd_values_count_as_unknown():
    result = assess(ADULTS_LABOUR, {"dr_job": "maybe", "ec_hours": True})
    assert result.unknown == result.total
    assert result.suggestion == INCOMPLETE


# --- Properties -------------------------------------------------------------------------------------------

ANSWER = st.sampled_from(scoring.ANSWER_VALUES)


@st.composite
def definition_and_answers(draw):
    definition = draw(st.sampled_from(list(DEFINITIONS.values())))
    ids = scoring.indicator_ids(definition)
    answers = draw(st.fixed_dictionaries({i: ANSWER for i in ids}))
    return definition, answers


@settings(max_examples=300, deadline=None)
@given(definition_and_answers(), st.data())
def test_adding_a_yes_never_takes_a_possible_victim_away(case, data):
    definition, answers = case
    before = assess(definition, answers)
    indicator = data.draw(st.sampled_from(scoring.indicator_ids(definition)))
    after = assess(definition, {**answers, indicator: "yes"})
    if before.suggestion == POSSIBLE_VICTIM:
        assert after.suggestion == POSSIBLE_VICTIM
    assert set(before.positive_dimensions) <= set(after.positive_dimensions)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(list(DEFINITIONS.values())))
def test_all_no_is_no_indication(definition):
    result = assess(definition, all_answered(definition, "no"))
    assert result.suggestion == NO_INDICATION
    assert result.positive_dimensions == ()


@settings(max_examples=300, deadline=None)
@given(definition_and_answers())
def test_unknown_never_counts_as_yes(case):
    definition, answers = case
    as_no = {i: ("no" if value == "unknown" else value) for i, value in answers.items()}
    with_unknown, without = assess(definition, answers), assess(definition, as_no)
    assert [(d.id, d.positive, d.yes) for d in with_unknown.dimensions] == [
        (d.id, d.positive, d.yes) for d in without.dimensions
    ]
    assert (with_unknown.suggestion == POSSIBLE_VICTIM) == (without.suggestion == POSSIBLE_VICTIM)


@settings(max_examples=100, deadline=None)
@given(definition_and_answers())
def test_the_profile_holds_ids_and_counts_only(case):
    definition, answers = case
    profile = assess(definition, answers).as_profile()
    assert json.loads(json.dumps(profile)) == profile
    texts = {i["text"] for i in definition["indicators"]}
    assert not texts & set(json.dumps(profile).split('"'))


def test_tools_dir_is_inside_the_app():
    assert Path(scoring.__file__).parent / "screening_tools" == TOOLS_DIR
