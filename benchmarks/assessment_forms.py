"""Issue 3's server-side targets on the city-scale data: the live eligibility update on the outcomes form
(whole request, under 150 ms) and the care and support plan PDF (under 1.5 s). Everything is created
inside a transaction that is rolled back, so the benchmark database is left as it was."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from .timing import measure

LIVE_TARGET_MS = 150
PDF_TARGET_MS = 1500
STEPS = ("own_strengths", "technology_equipment", "family_friends", "community_universal")


def run(*, client, user, person_id: int, requests: int = 200) -> list:
    from assessments import services
    from assessments.letters import render_support_plan
    from carecase import codes
    from carecase.people.models import Person

    results = []
    with transaction.atomic():
        person = Person.objects.get(pk=person_id)
        assessment = services.assessment_start(person=person, by=user, assessment_type="needs")
        services.assessment_save_section(assessment=assessment, by=user, section="conditions",
                                         impairment_or_illness=True, significant_impact_on_wellbeing=True)
        codes_ = services.outcome_codes("adult")
        url = f"/assessments/{assessment.id}/eligibility-preview/"

        def preview(i):
            # Tick a different pair of outcomes each time, as a practitioner moving down the form would.
            data = {codes_[i % 10]: ["unable_without_assistance"], codes_[(i + 3) % 10]: ["takes_significantly_longer"]}
            response = client.post(url, data)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            return response

        stats, _ = measure("POST eligibility preview on the outcomes form (live update, whole request)",
                           [lambda i=i: preview(i) for i in range(requests)], target_ms=LIVE_TARGET_MS)
        results.append(stats)

        services.assessment_save_outcomes(assessment=assessment, by=user, answers={
            "nutrition": {"statuses": ["unable_without_assistance"], "description": "Cannot stand to cook"},
            "personal_hygiene": {"statuses": ["endangers_health_safety"], "description": "Falls in the bath"}})
        services.assessment_decide(assessment=assessment, by=user, agrees=True)
        step = {"considered": True, "meets": "partly", "note": "Looked at together"}
        for row in services.sequence_from_eligibility(assessment=assessment, by=user):
            services.sequence_outcome_save(row=row, by=user, steps=dict.fromkeys(STEPS, step), done_differently=None,
                                           formal_support_requested=True)
        assessment.refresh_from_db()
        plan = services.plan_create(assessment=assessment, by=user)
        for outcome in plan.outcomes.all():
            services.plan_outcome_save(outcome=outcome, by=user, how_met="A carer helps each morning", by_whom="Agency")
            services.service_line_add(plan=plan, by=user, service_type=codes.ServiceType.LTS_COMMUNITY,
                                      component="home_care", units_per_week=Decimal("7"), unit="hour",
                                      unit_cost=Decimal("20.31"), delivery_mechanism=codes.DeliveryMechanism.COMMISSIONED,
                                      starts_on=dt.date.today(), provider="Highfields Home Care", outcome=outcome)
        plan = type(plan).objects.prefetch_related("outcomes", "services").get(pk=plan.pk)
        stats, _ = measure("Care and support plan PDF (WeasyPrint render)",
                           [lambda: render_support_plan(plan) for _ in range(25)], warmup=3, target_ms=PDF_TARGET_MS)
        results.append(stats)
        transaction.set_rollback(True)
    return results
