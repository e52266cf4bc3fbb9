"""The Safeguarding Adults Collection figures, page and CSV, checked against direct SQL counts on generated
data spread across two financial years."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from safeguarding import selectors, services
from safeguarding.codes import (
    AbuseType,
    Capacity,
    LocationOfRisk,
    OutcomesAchieved,
    OutcomesAsked,
    RiskAssessmentOutcome,
    RiskResult,
    SourceOfRisk,
)
from safeguarding.models import DecisionResult
from tests.factories import PersonFactory

from .conftest import decide, make_concern

LONDON = ZoneInfo("Europe/London")
pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 11, 22, 12, tzinfo=LONDON), tick=False)
def generate(lead, n=60, seed=7):
    """Concerns received from April 2025 to October 2026, in every state, as of 22 November 2026."""
    rng = random.Random(seed)
    for _ in range(n):
        received = dt.datetime(2025, 4, 1, 9, tzinfo=LONDON) + dt.timedelta(days=rng.randint(0, 560),
                                                                            hours=rng.randint(0, 10))
        asked = rng.choice(OutcomesAsked.values)
        capacity = rng.choice(Capacity.values)
        concern = make_concern(
            PersonFactory(), lead, received_at=received,
            abuse_types=rng.sample(AbuseType.values, rng.randint(1, 3)),
            location_of_risk=rng.choice(LocationOfRisk.values), source_of_risk=rng.choice(SourceOfRisk.values),
            outcomes_asked=asked, desired_outcomes="To feel safe" if asked == OutcomesAsked.EXPRESSED else "",
            capacity=capacity, advocacy=rng.choice(["Yes", "No", "Don't know"]) if capacity == Capacity.LACKS else "")
        route = rng.random()
        if route < 0.15:
            continue  # still waiting for a decision
        decided_at = received + dt.timedelta(days=rng.randint(0, 4))
        if route < 0.3:
            decide(concern, lead, cannot_protect=False, result=DecisionResult.NO_FURTHER_ACTION, advice_given="Advice",
                   decided_at=decided_at)
            continue
        kind = DecisionResult.S42 if route < 0.85 else DecisionResult.OTHER
        decide(concern, lead, result=kind, cannot_protect=kind == DecisionResult.S42, decided_at=decided_at)
        concern.refresh_from_db()
        concluded = decided_at.date() + dt.timedelta(days=rng.randint(5, 120))
        if rng.random() < 0.2 or concluded > dt.date(2026, 11, 1):
            continue  # still open
        outcome = rng.choice(RiskAssessmentOutcome.values)
        services.enquiry_close(
            enquiry=concern.enquiry, by=lead.user, risk_outcome=outcome,
            risk_result=rng.choice(RiskResult.values) if outcome == RiskAssessmentOutcome.IDENTIFIED_ACTION else "",
            no_action_reason="Declined" if outcome == RiskAssessmentOutcome.IDENTIFIED_NO_ACTION else "",
            outcomes_achieved=rng.choice(OutcomesAchieved.values) if asked == OutcomesAsked.EXPRESSED else "",
            feedback_offered=rng.random() < 0.7, concluded_on=concluded)


def sql(query: str, params) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return dict(cursor.fetchall())


CONCLUDED = """FROM safeguarding_enquiry e JOIN safeguarding_concern c ON c.id = e.concern_id
               WHERE e.kind = 's42' AND e.status = 'concluded' AND e.concluded_on BETWEEN %s AND %s"""


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_return_matches_direct_sql_counts(lead, year):
    generate(lead)
    figures = selectors.sac_figures(user=lead.user, year=year)
    fy = (dt.date(year, 4, 1), dt.date(year + 1, 3, 31))
    assert figures.concerns_received == sql(
        "SELECT 1, count(*) FROM safeguarding_concern WHERE (received_at AT TIME ZONE 'Europe/London')::date "
        "BETWEEN %s AND %s", fy)[1]
    assert figures.s42_concluded == sql(f"SELECT 1, count(*) {CONCLUDED}", fy)[1]  # noqa: S608
    assert figures.s42_concluded > 0
    started = sql("SELECT kind, count(*) FROM safeguarding_enquiry WHERE started_on BETWEEN %s AND %s GROUP BY kind",
                  fy)
    assert (figures.s42_started, figures.other_started) == (started.get("s42", 0), started.get("other", 0))
    by_type = sql(f"SELECT t, count(*) FROM (SELECT DISTINCT e.id, unnest(c.abuse_types) AS t {CONCLUDED}) x "  # noqa: S608
                  "GROUP BY t", fy)
    assert {v: n for v, _l, n in figures.by_abuse_type if n} == by_type
    for field, counts in (("c.location_of_risk", figures.by_location), ("c.source_of_risk", figures.by_source),
                          ("e.risk_outcome", figures.by_risk_outcome), ("c.outcomes_asked", figures.msp_asked)):
        assert {v: n for v, _l, n in counts if n} == sql(f"SELECT {field}, count(*) {CONCLUDED} GROUP BY 1", fy)  # noqa: S608
    assert {v: n for v, _l, n in figures.by_risk_result if n} == sql(
        f"SELECT e.risk_result, count(*) {CONCLUDED} AND e.risk_result <> '' GROUP BY 1", fy)  # noqa: S608
    assert {v: n for v, _l, n in figures.msp_achieved if n} == sql(
        f"SELECT e.outcomes_achieved, count(*) {CONCLUDED} AND c.outcomes_asked = %s GROUP BY 1",  # noqa: S608
        (*fy, OutcomesAsked.EXPRESSED))
    assert {v: n for v, _l, n in figures.by_sex if n} == sql(
        f"SELECT p.gender, count(*) {CONCLUDED.replace('WHERE', 'JOIN people_person p ON p.id = c.person_id WHERE')} "
        "GROUP BY 1", fy)
    ages = sql(f"""SELECT CASE WHEN a < 65 THEN '18-64' WHEN a < 75 THEN '65-74' WHEN a < 85 THEN '75-84'
                            WHEN a < 95 THEN '85-94' ELSE '95+' END, count(*)
                     FROM (SELECT date_part('year', age((c.received_at AT TIME ZONE 'Europe/London')::date,
                                                        p.date_of_birth)) AS a
                           {CONCLUDED.replace('WHERE', 'JOIN people_person p ON p.id = c.person_id WHERE')}) x
                    GROUP BY 1""", fy)  # noqa: S608
    assert {v: n for v, _l, n in figures.by_age if n} == ages
    assert {v: n for v, _l, n in figures.advocacy if n} == sql(
        f"SELECT c.advocacy, count(*) {CONCLUDED} AND c.capacity = 'lacks_capacity' GROUP BY 1", fy)  # noqa: S608


def test_notifiable_incidents_are_counted_apart_from_concerns(lead, adult):
    incident = services.incident_create(by=lead.user, provider_name="Oak House", occurred_on=dt.date(2026, 5, 1),
                                        received_at=dt.datetime(2026, 5, 1, 12, tzinfo=LONDON),
                                        description="Missed dose", harm_caused=False)
    services.incident_notifiable_only(incident=incident, by=lead.user, note="No harm")
    figures = selectors.sac_figures(user=lead.user, year=2026)
    assert (figures.concerns_received, figures.incidents_notifiable_only) == (0, 1)


def test_the_page_and_the_csv_show_the_same_figures(client, lead):
    generate(lead, n=25)
    figures = selectors.sac_figures(user=lead.user, year=2025)
    client.force_login(lead.user)
    page = client.get(reverse("safeguarding-return"), {"year": 2025})
    assert page.status_code == 200
    assert f'id="sac-concluded">{figures.s42_concluded}<' in page.content.decode()
    response = client.get(reverse("safeguarding-return"), {"year": 2025, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "safeguarding-adults-collection-2025-2026.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Financial year", "Section", "Value", "Count"]
    table = {(r[1], r[2]): int(r[3]) for r in rows[1:]}
    assert table[("Totals", "Section 42 enquiries concluded")] == figures.s42_concluded
    assert table[("Type of abuse or risk", "Financial or Material")] == dict(
        (v, n) for v, _l, n in figures.by_abuse_type)["Financial or Material"]


def test_an_unknown_year_falls_back_to_the_current_one(client, lead):
    client.force_login(lead.user)
    assert client.get(reverse("safeguarding-return"), {"year": "abc"}).status_code == 200
