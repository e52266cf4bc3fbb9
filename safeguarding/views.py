"""Staff pages for safeguarding (GUIDE §2.9): the hub's worktray, raising a concern (finding the adult at risk
or adding them with a duplicate check), the concern and its section 42 decision, the enquiry with strategy
discussions, actions, the plan (support sequence) and closure, organisational enquiries, provider incident
triage, the dashboard and the Safeguarding Adults Collection return.

Thin: forms shape what was typed, selectors read (through the safeguarding access policy, logged), services
write and validate. A refusal is a 403 page; an unknown number a 404.
"""

from __future__ import annotations

import csv
import functools

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from carecase.people import selectors as people_selectors
from carecase.people import services as people_services
from carecase.people.models import Person
from carecase.web.decorators import staff_required
from carecase.web.views import _apply_errors, _person_context, _posted

from . import access, selectors, services
from . import forms as sf
from .models import (
    ENQUIRY_RESULTS,
    Concern,
    ConcernStatus,
    Enquiry,
    EnquiryAction,
    EnquiryStatus,
    IncidentTriage,
    OrganisationalEnquiry,
    ProviderIncident,
    SafeguardingGrant,
)


def sg_page(view):
    """Signed-in staff; an unknown concern, enquiry, person or incident is a 404. Refusals (SafeguardingDenied,
    a PermissionDenied) become the 403 page; the selectors have logged them."""

    @staff_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (Concern.DoesNotExist, Enquiry.DoesNotExist, Person.DoesNotExist, OrganisationalEnquiry.DoesNotExist,
                ProviderIncident.DoesNotExist, EnquiryAction.DoesNotExist, SafeguardingGrant.DoesNotExist):
            raise Http404("Nothing was found with that number") from None

    return wrapper


def _save(form, call):
    """Run a service; on a validation error put its messages on the form and return None."""
    try:
        return call()
    except ValidationError as exc:
        _apply_errors(form, exc)
        return None


# ---------------------------------------------------------------- the hub


@sg_page
def hub(request):
    context = selectors.hub_worktray(user=request.user, path=request.path)
    return render(request, "safeguarding/hub.html", context)


# ---------------------------------------------------------------- raising a concern


@sg_page
def raise_start(request):
    """Who is the adult at risk? An existing record by CareCase ID, or a new one after a duplicate check."""
    selectors.require_safeguarding_staff(request.user, what="raising a concern")
    incident = request.GET.get("incident") or request.POST.get("incident") or ""
    action = request.POST.get("action") if request.method == "POST" else None
    existing = sf.ExistingPersonForm(request.POST if action == "existing" else None, prefix="existing")
    new = sf.NewPersonForm(request.POST if action == "new" else None, prefix="new")
    duplicates = []
    suffix = f"?incident={incident}" if incident.isdigit() else ""
    if action == "existing" and existing.is_valid():
        pid = existing.cleaned_data["person_id"]
        if selectors.person_exists(pid):
            return redirect(reverse("safeguarding-raise", args=[pid]) + suffix)
        existing.add_error("person_id", "There is no one on CareCase with that ID")
    if action == "new" and new.is_valid():
        d = new.cleaned_data
        duplicates = people_selectors.likely_duplicates(
            user=request.user, given_name=d["given_name"], family_name=d["family_name"],
            date_of_birth=d.get("date_of_birth"), postcode=d.get("postcode", ""))
        if not duplicates or d["confirm_not_duplicate"]:
            fields = {k: d[k] for k in ("given_name", "family_name", "date_of_birth", "postcode") if d.get(k)}
            person = _save(new, lambda: people_services.person_create(by=request.user, **fields))
            if person is not None:
                messages.success(request, f"{person.display_name} has been added. Their CareCase ID is {person.id}.")
                return redirect(reverse("safeguarding-raise", args=[person.id]) + suffix)
        elif not new.errors:
            new.add_error("confirm_not_duplicate", "Someone with these details may already be on CareCase. Use their "
                          "CareCase ID above, or confirm none of them is the adult at risk")
    return render(request, "safeguarding/raise_start.html", {"existing": existing, "new": new,
                                                              "duplicates": duplicates, "incident": incident})


@sg_page
def raise_concern(request, person_id: int):
    person = selectors.person_for_new_concern(user=request.user, person_id=person_id, path=request.path)
    incident = None
    incident_id = request.GET.get("incident") or request.POST.get("incident") or ""
    if incident_id.isdigit():
        incident = selectors.incident_for(user=request.user, pk=int(incident_id), path=request.path)
    now = timezone.localtime()
    initial = {"received_on": now.date(), "received_time": now.strftime("%H:%M")}
    if incident is not None:
        initial |= {"raised_by_role": "provider", "raised_by_organisation": incident.provider_name,
                    "what_happened": incident.description}
    form = sf.ConcernForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        staff = access.staff_member(request.user)
        team = staff.team if staff and staff.team and staff.team.kind == "safeguarding" else None
        concern = _save(form, lambda: services.concern_create(by=request.user, person=person, team=team,
                                                              incident=incident, **form.service_kwargs()))
        if concern is not None:
            messages.success(request, f"The concern has been recorded. A decision is due by "
                                      f"{concern.decision_due_on:%-d %B %Y}.")
            return redirect("safeguarding-concern", concern.id)
    return render(request, "safeguarding/concern_form.html", {"person": person, "form": form, "incident": incident})


# ---------------------------------------------------------------- the person's safeguarding page


@sg_page
def person_safeguarding(request, person_id: int):
    person, concerns = selectors.person_safeguarding(user=request.user, person_id=person_id, path=request.path)
    return render(request, "safeguarding/person.html", {**_person_context(request, person, "safeguarding"),
                                                        "concerns": concerns})


# ---------------------------------------------------------------- a concern and its decision


def _can_decide(user, concern) -> bool:
    """Decisions and closures are for the safeguarding team and staff named on the concern; the allocated
    worker reads them."""
    return access.is_safeguarding_staff(user) or getattr(concern, "access_basis", "") == access.BASIS_NAMED


def _concern_context(request, concern) -> dict:
    today = timezone.localdate()
    return {"concern": concern, "person": concern.person, "decision": selectors.decision_of(concern),
            "enquiry": selectors.enquiry_of(concern), "due_state": selectors.decision_state(concern.decision_due_on,
                                                                                              today),
            "is_lead": access.is_safeguarding_lead(request.user), "today": today,
            "can_decide": _can_decide(request.user, concern),
            "awaiting": concern.status == ConcernStatus.AWAITING_DECISION,
            "protection_due_on": selectors.protection_due_on(concern.received_at),
            "protection_form": sf.ProtectionForm() if concern.needs_protection_check else None}


@sg_page
def concern_detail(request, concern_id: int):
    concern = selectors.concern_for(user=request.user, concern_id=concern_id, path=request.path)
    context = _concern_context(request, concern)
    if context["is_lead"]:
        context["grants"] = selectors.grants_on(concern)
        context["grant_form"] = sf.GrantForm(staff=selectors.staff_to_name())
    return render(request, "safeguarding/concern.html", context)


@sg_page
def concern_protection(request, concern_id: int):
    """The immediate-risk check: record what was done to protect an adult at immediate risk."""
    concern = selectors.concern_for(user=request.user, concern_id=concern_id, path=request.path)
    if request.method != "POST":
        return redirect("safeguarding-concern", concern.id)
    form = sf.ProtectionForm(request.POST)
    if form.is_valid() and _save(form, lambda: services.protection_record(
            concern=concern, by=request.user, protection_actions=form.cleaned_data["protection_actions"])) is not None:
        messages.success(request, "What was done to protect them has been recorded.")
        return redirect("safeguarding-concern", concern.id)
    context = _concern_context(request, concern) | {"protection_form": form}
    if context["is_lead"]:
        context |= {"grants": selectors.grants_on(concern), "grant_form": sf.GrantForm(staff=selectors.staff_to_name())}
    return render(request, "safeguarding/concern.html", context, status=400)


@sg_page
def concern_access(request, concern_id: int):
    """Safeguarding leads: name staff on the concern, remove a name, restrict or lift the restriction."""
    concern = selectors.concern_for(user=request.user, concern_id=concern_id, path=request.path)
    if request.method != "POST":
        return redirect("safeguarding-concern", concern.id)
    action = request.POST.get("action")
    if action == "grant":
        form = sf.GrantForm(request.POST, staff=selectors.staff_to_name())
        if form.is_valid():
            d = form.cleaned_data
            if _save(form, lambda: services.grant_add(concern=concern, by=request.user, user=form.users.get(d["user"]),
                                                      reason=d["reason"])) is not None:
                messages.success(request, "The member of staff has been named on this concern.")
                return redirect("safeguarding-concern", concern.id)
        context = _concern_context(request, concern) | {"grants": selectors.grants_on(concern), "grant_form": form}
        return render(request, "safeguarding/concern.html", context, status=400)
    if action == "revoke":
        grant = selectors.grant_on(concern, request.POST.get("grant"))
        services.grant_revoke(grant=grant, by=request.user)
        messages.success(request, "The name has been removed from this concern.")
    elif action in ("restrict", "unrestrict"):
        services.concern_restrict(concern=concern, by=request.user, restricted=action == "restrict")
        messages.success(request, "This concern is now restricted to the staff named on it." if action == "restrict"
                         else "The restriction has been lifted.")
    return redirect("safeguarding-concern", concern.id)


@sg_page
def decision(request, concern_id: int):
    concern = selectors.concern_for(user=request.user, concern_id=concern_id, path=request.path)
    if concern.status != ConcernStatus.AWAITING_DECISION:
        messages.info(request, "A decision has already been made on this concern.")
        return redirect("safeguarding-concern", concern.id)
    form = sf.DecisionForm(_posted(request), staff=list(selectors.safeguarding_staff()))
    if request.method == "POST" and form.is_valid():
        made = _save(form, lambda: services.decision_record(concern=concern, by=request.user, **form.service_kwargs()))
        if made is not None:
            messages.success(request, f"Decision recorded: {made.get_result_display().lower()}.")
            if made.result in ENQUIRY_RESULTS:
                return redirect("safeguarding-enquiry", concern.enquiry.id)
            return redirect("safeguarding-concern", concern.id)
    return render(request, "safeguarding/decision.html", {**_concern_context(request, concern), "form": form})


# ---------------------------------------------------------------- the enquiry


def _enquiry(request, enquiry_id: int) -> Enquiry:
    return selectors.enquiry_for(user=request.user, enquiry_id=enquiry_id, path=request.path)


def _enquiry_context(request, enquiry, **extra) -> dict:
    plan = selectors.plan_of(enquiry)
    today = timezone.localdate()
    states = {f"{name}_state": selectors.decision_state(due, today)
              for name, due in (("strategy", enquiry.strategy_due_on), ("planning", enquiry.planning_due_on)) if due}
    return {"enquiry": enquiry, "concern": enquiry.concern, "person": enquiry.concern.person, "plan": plan,
            "can_decide": _can_decide(request.user, enquiry.concern),
            "plan_outcomes": _plan_outcomes(plan), "is_open": enquiry.status == EnquiryStatus.OPEN,
            "feedback": selectors.feedback_of(enquiry) if enquiry.feedback_offered else None,
            "today": today, **states, **extra}


def _plan_outcomes(plan) -> list[dict]:
    if plan is None:
        return []
    results = {o["code"]: o for o in (plan.sequence or {}).get("result", {}).get("outcomes", [])}
    return [{"text": o["text"], "result": results.get(f"outcome-{n}", {})}
            for n, o in enumerate((plan.sequence or {}).get("outcomes", []), start=1)]


@sg_page
def enquiry_detail(request, enquiry_id: int):
    enquiry = _enquiry(request, enquiry_id)
    form = sf.ActionForm(_posted(request))
    if request.method == "POST" and request.POST.get("action") == "done":
        action_id = request.POST.get("action_id") or ""
        action = enquiry.actions.get(pk=int(action_id) if action_id.isdigit() else 0)
        services.action_done(action=action, by=request.user)
        messages.success(request, "The action is marked as done.")
        return redirect("safeguarding-enquiry", enquiry.id)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _save(form, lambda: services.action_add(by=request.user, enquiry=enquiry, description=d["description"],
                                                   owner=d["owner"], due_on=d["due_on"])) is not None:
            messages.success(request, "The action has been added.")
            return redirect("safeguarding-enquiry", enquiry.id)
    return render(request, "safeguarding/enquiry.html", _enquiry_context(request, enquiry, form=form))


@sg_page
def strategy(request, enquiry_id: int):
    enquiry = _enquiry(request, enquiry_id)
    form = sf.StrategyForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        if _save(form, lambda: services.strategy_discussion_record(enquiry=enquiry, by=request.user,
                                                                   **form.service_kwargs())) is not None:
            messages.success(request, "The strategy discussion has been recorded.")
            return redirect("safeguarding-enquiry", enquiry.id)
    return render(request, "safeguarding/strategy.html", _enquiry_context(request, enquiry, form=form))


@sg_page
def plan(request, enquiry_id: int):
    enquiry = _enquiry(request, enquiry_id)
    current = selectors.plan_of(enquiry)
    # A new plan starts from what the adult said they want, to be reviewed within 3 months (GUIDE §2.9).
    initial = sf.PlanForm.initial_from(current) or {"outcome_1": enquiry.concern.desired_outcomes,
                                                    "review_on": timezone.localdate() + relativedelta(months=3)}
    form = sf.PlanForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _save(form, lambda: services.plan_save(enquiry=enquiry, by=request.user, outcomes=form.outcomes(),
                                                  formal_actions=d["formal_actions"],
                                                  review_on=d["review_on"])) is not None:
            messages.success(request, "The safeguarding plan has been saved.")
            return redirect("safeguarding-enquiry", enquiry.id)
    return render(request, "safeguarding/plan.html", _enquiry_context(request, enquiry, form=form))


@sg_page
def close(request, enquiry_id: int):
    enquiry = _enquiry(request, enquiry_id)
    if enquiry.status != EnquiryStatus.OPEN:
        messages.info(request, "This enquiry has already been concluded.")
        return redirect("safeguarding-enquiry", enquiry.id)
    form = sf.CloseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        if _save(form, lambda: services.enquiry_close(enquiry=enquiry, by=request.user,
                                                      **form.service_kwargs())) is not None:
            messages.success(request, "The enquiry has been concluded.")
            return redirect("safeguarding-enquiry", enquiry.id)
    return render(request, "safeguarding/close.html", _enquiry_context(request, enquiry, form=form))


@sg_page
def feedback(request, enquiry_id: int):
    """Feedback after closure, when it was offered: whether they agreed and, if so, the short survey."""
    enquiry = _enquiry(request, enquiry_id)
    if enquiry.status != EnquiryStatus.CONCLUDED or not enquiry.feedback_offered or selectors.feedback_of(enquiry):
        messages.info(request, "There is no feedback to record for this enquiry.")
        return redirect("safeguarding-enquiry", enquiry.id)
    form = sf.FeedbackForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        if _save(form, lambda: services.feedback_record(enquiry=enquiry, by=request.user,
                                                        **form.service_kwargs())) is not None:
            messages.success(request, "Their feedback has been recorded.")
            return redirect("safeguarding-enquiry", enquiry.id)
    return render(request, "safeguarding/feedback.html", _enquiry_context(request, enquiry, form=form))


# ---------------------------------------------------------------- organisational enquiries


@sg_page
def organisational_list(request):
    rows = selectors.organisational_enquiries(user=request.user)
    staff = list(selectors.safeguarding_staff())
    form = sf.OrganisationalForm(_posted(request), staff=staff)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        org = _save(form, lambda: services.organisational_enquiry_create(
            by=request.user, provider_name=d["provider_name"], summary=d["summary"], opened_on=d["opened_on"],
            lead=form.staff.get(d["lead"])))
        if org is not None:
            messages.success(request, "The organisational enquiry has been opened.")
            return redirect("safeguarding-organisational", org.id)
    return render(request, "safeguarding/organisational_list.html", {"rows": rows, "form": form})


@sg_page
def organisational_detail(request, pk: int):
    org, linked, hidden = selectors.organisational_for(user=request.user, pk=pk, path=request.path)
    candidates = selectors.linkable_enquiries(user=request.user, org=org)
    action = request.POST.get("action") if request.method == "POST" else None
    link = sf.LinkForm(request.POST if action == "link" else None, concerns=candidates)
    shared = sf.ActionForm(request.POST if action == "action" else None)
    closing = sf.OrganisationalCloseForm(request.POST if action == "close" else None)
    if action == "link" and link.is_valid():
        enquiry = selectors.enquiry_for_link(enquiry_id=link.cleaned_data["enquiry"])
        if _save(link, lambda: services.organisational_link(organisational_enquiry=org, enquiry=enquiry,
                                                            by=request.user)) is not None:
            messages.success(request, "The enquiry has been linked.")
            return redirect("safeguarding-organisational", org.id)
    if action == "action" and shared.is_valid():
        d = shared.cleaned_data
        if _save(shared, lambda: services.action_add(by=request.user, organisational_enquiry=org,
                                                     description=d["description"], owner=d["owner"],
                                                     due_on=d["due_on"])) is not None:
            messages.success(request, "The shared action has been added.")
            return redirect("safeguarding-organisational", org.id)
    if action == "close" and closing.is_valid():
        d = closing.cleaned_data
        if _save(closing, lambda: services.organisational_close(
                organisational_enquiry=org, by=request.user, closure_summary=d["closure_summary"],
                closed_on=d["closed_on"])) is not None:
            messages.success(request, "The organisational enquiry has been closed.")
            return redirect("safeguarding-organisational", org.id)
    return render(request, "safeguarding/organisational.html", {"org": org, "linked": linked, "hidden": hidden,
                                                                 "link_form": link, "form": shared,
                                                                 "close_form": closing,
                                                                 "is_open": org.status == "open",
                                                                 "today": timezone.localdate()})


# ---------------------------------------------------------------- provider incidents


@sg_page
def incidents(request):
    rows, repeats = selectors.incidents(user=request.user, path=request.path)
    form = sf.IncidentForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        person = None
        if d["person_id"]:
            person = selectors.person_by_id(d["person_id"])
            if person is None:
                form.add_error("person_id", "There is no one on CareCase with that ID")
        if not form.errors:
            incident = _save(form, lambda: services.incident_create(
                by=request.user, provider_name=d["provider_name"], person=person, occurred_on=d["occurred_on"],
                description=d["description"], harm_caused=sf.yes_no(d["harm_caused"])))
            if incident is not None:
                messages.success(request, "The incident has been recorded. Triage it next.")
                return redirect("safeguarding-incident", incident.id)
    for row in rows:
        row.repeats = repeats.get(row.provider_name, 0)
    return render(request, "safeguarding/incidents.html", {"rows": rows, "form": form})


@sg_page
def incident_triage(request, pk: int):
    incident = selectors.incident_for(user=request.user, pk=pk, path=request.path)
    form = sf.TriageForm(_posted(request))
    if request.method == "POST" and incident.triage == IncidentTriage.PENDING and form.is_valid():
        d = form.cleaned_data
        if d["triage"] == "raise_concern":
            if incident.person_id:
                return redirect(reverse("safeguarding-raise", args=[incident.person_id]) + f"?incident={incident.id}")
            return redirect(reverse("safeguarding-raise-start") + f"?incident={incident.id}")
        if _save(form, lambda: services.incident_notifiable_only(incident=incident, by=request.user,
                                                                 note=d["triage_note"])) is not None:
            messages.success(request, "Recorded as notifiable only. It is counted apart from concerns.")
            return redirect("safeguarding-incidents")
    return render(request, "safeguarding/incident.html", {"incident": incident, "form": form})


# ---------------------------------------------------------------- figures


@sg_page
def dashboard(request):
    return render(request, "safeguarding/dashboard.html", selectors.dashboard(user=request.user))


@sg_page
def sac_return(request):
    selectors.require_safeguarding_staff(request.user, what="the safeguarding adults collection")
    current = selectors.current_financial_year()
    years = list(range(current, current - 5, -1))
    form = sf.YearForm(request.GET if "year" in request.GET else None, years=years, initial={"year": current})
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() and form.cleaned_data["year"] else current
    figures = selectors.sac_figures(user=request.user, year=year)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="safeguarding-adults-collection-{year}-{year + 1}.csv"'
        writer = csv.writer(response)
        writer.writerow(["Financial year", "Section", "Value", "Count"])
        for section, value, count in figures.rows():
            writer.writerow([f"{year}-{str(year + 1)[2:]}", section, value, count])
        return response
    return render(request, "safeguarding/sac.html", {"figures": figures, "form": form, "year": year})

