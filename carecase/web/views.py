"""Staff pages. Thin: forms validate, selectors read (scoped and logged), services write."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from carecase.audit import selectors as audit_selectors
from carecase.audit import services as audit_services
from carecase.audit.access import AccessBasis, can_search, can_see_access_log, staff_member
from carecase.people import selectors as people_selectors
from carecase.people import services as people_services
from carecase.people.selectors import SearchQuery
from carecase.records import selectors as record_selectors
from carecase.records import services as record_services
from carecase.staff import selectors as staff_selectors
from carecase.staff import services as staff_services
from carecase.staff.models import Role
from carecase.waiting.reminders import duty_worktray
from portal.selectors import open_duty_tasks
from reviews import schedule as review_schedule
from reviews import selectors as review_selectors

from . import person_forms as pf
from .decorators import person_page, staff_required

REVIEWS_SHOWN = 50  # on the worktray, most overdue first


def _apply_errors(form, exc: ValidationError) -> None:
    """Put a service's validation errors on the form, so nothing typed is lost."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _posted(request):
    """The submitted data for a form, or None when nothing was submitted (an empty POST is still a POST)."""
    return request.POST if request.method == "POST" else None


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


# ---------------------------------------------------------------- home, search, teams


@staff_required
def home(request):
    staff = staff_member(request.user)
    if staff.role == Role.ADMINISTRATOR:
        return render(request, "pages/admin_home.html")
    allocations = staff_selectors.worktray_allocations(user=request.user)
    page = Paginator(allocations, 50).get_page(request.GET.get("page"))
    open_contacts = record_selectors.open_contacts_for_worktray(user=request.user)
    today = timezone.localdate()
    # Reviews due, due soon or overdue for the people allocated to this worker, most overdue first.
    reviews = list(review_selectors.reviews_needing_attention(worker=staff, today=today)[:REVIEWS_SHOWN + 1])
    # One access check and one access-log insert for everyone named on the page.
    visible = people_selectors.people_listing(
        user=request.user, person_ids=[a.person_id for a in page] + [c.person_id for c in open_contacts]
        + [r.person_id for r in reviews[:REVIEWS_SHOWN]], resource="worktray")
    rows = [(a, visible.get(a.person_id)) for a in page]
    due = [(c, visible.get(c.person_id)) for c in open_contacts]
    reviews_due = [{"review": r, "person": visible.get(r.person_id), "tag": review_schedule.STATE_TAGS[r.review_state],
                    "state": review_schedule.STATE_LABELS[r.review_state]} for r in reviews[:REVIEWS_SHOWN]]
    keep_in_touch_due = duty_worktray(staff.team).count() if staff.team_id else 0
    urgent_duty_tasks = open_duty_tasks(staff.team).count() if staff.team_id else 0
    # A number only (nobody is named), so nothing is logged.
    overdue_reviews = None
    if staff.role in (Role.TEAM_LEADER, Role.SENIOR_MANAGER):
        overdue = review_selectors.open_reviews().filter(review_schedule.state_q(review_schedule.OVERDUE, today))
        overdue_reviews = (overdue.filter(team_id=staff.team_id) if staff.role == Role.TEAM_LEADER else overdue).count()
    return render(request, "pages/worktray.html", {"page": page, "rows": rows, "staff": staff, "due": due,
                                                   "keep_in_touch_due": keep_in_touch_due,
                                                   "urgent_duty_tasks": urgent_duty_tasks,
                                                   "reviews_due": reviews_due,
                                                   "more_reviews": len(reviews) > REVIEWS_SHOWN,
                                                   "reviews_shown": REVIEWS_SHOWN,
                                                   "overdue_reviews": overdue_reviews})


@staff_required
def search(request):
    if not can_search(request.user):
        raise PermissionDenied("Administrators manage accounts and cannot search people's records.")
    form = pf.SearchForm(request.GET or None)
    results = None
    if request.GET and form.is_valid():
        d = form.cleaned_data
        query = SearchQuery(name=d["name"], date_of_birth=d["dob"], postcode=d["postcode"], nhs_number=d["nhs_number"])
        results = people_selectors.search_people(user=request.user, query=query, path=request.get_full_path())
    return render(request, "people/search.html", {"form": form, "results": results})


@staff_required
def teams(request):
    return render(request, "staff/teams.html", {"teams": staff_selectors.teams_list()})


def accessibility(request):
    return render(request, "pages/accessibility.html")


# ---------------------------------------------------------------- creating and editing people


@staff_required
def person_create(request):
    if not can_search(request.user):
        raise PermissionDenied("Administrators cannot create people's records.")
    form = pf.PersonForm(_posted(request))
    confirm = pf.DuplicateConfirmForm(_posted(request)) if request.POST.get("checked_duplicates") else None
    duplicates = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        duplicates = people_selectors.likely_duplicates(
            user=request.user, given_name=d["given_name"], family_name=d["family_name"],
            date_of_birth=d.get("date_of_birth"), nhs_number=d.get("nhs_number", ""), postcode=d.get("postcode", ""),
        )
        if duplicates and not (confirm and confirm.is_valid()):
            confirm = confirm or pf.DuplicateConfirmForm()
        else:
            try:
                person = people_services.person_create(by=request.user, **d)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, f"{person.display_name} has been added. Their CareCase ID is {person.id}.")
                return redirect("person-detail", person.id)
    return render(request, "people/person_form.html",
                  {"form": form, "duplicates": duplicates, "confirm": confirm, "creating": True})


@person_page
def person_edit(request, person_id: int):
    person = people_selectors.person_for_user(user=request.user, person_id=person_id, resource="person details",
                                              path=request.path)
    form = pf.PersonForm(_posted(request), instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            people_services.person_update(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Their details have been updated.")
            return redirect("person-detail", person.id)
    return render(request, "people/person_form.html", {**_person_context(request, person, "summary"), "form": form})


@staff_required
def person_reason(request, person_id: int):
    """Opening a record outside one's team: the reason is kept, then the record opens."""
    from carecase.audit.access import Level

    try:
        person, access = people_selectors.person_for_reason_page(user=request.user, person_id=person_id,
                                                                 path=request.path)
    except people_selectors.Person.DoesNotExist:
        raise Http404("No record with that number") from None
    if access.is_full:
        return redirect(_safe_next(request, reverse("person-detail", args=[person.id])))
    if access.level == Level.RESTRICTED:
        return render(request, "people/restricted.html", status=403)
    if access.level == Level.NONE:
        raise PermissionDenied("You do not have access to people's records.")
    form = pf.ReasonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        audit_services.give_reason(user=request.user, person=person, reason=form.cleaned_data["reason"])
        return redirect(_safe_next(request, reverse("person-detail", args=[person.id])))
    return render(request, "people/reason.html", {"person": person, "form": form,
                                                  "reason_hours": settings.ACCESS_REASON_HOURS,
                                                  "next": _safe_next(request, "")})


# ---------------------------------------------------------------- the person pages


def _person_context(request, person, section: str) -> dict:
    """What every person page shows: identity bar, allocation and a sub-navigation of what exists."""
    return {
        "person": person,
        "section": section,
        "allocation": staff_selectors.current_allocation(person.id),
        "counts": people_selectors.person_section_counts(person),
        "can_see_access_log": can_see_access_log(request.user, person),
        "can_restrict": audit_services.can_restrict(request.user, person),
        "today": timezone.localdate(),
    }


@person_page
def person_detail(request, person_id: int):
    person, significant, latest_contact = record_selectors.person_summary(
        user=request.user, person_id=person_id, path=request.path)
    return render(request, "people/detail.html", {
        **_person_context(request, person, "summary"),
        "significant_notes": significant,
        "latest_contact": latest_contact,
    })


@person_page
def person_case_notes(request, person_id: int):
    person, notes = record_selectors.case_notes_for(user=request.user, person_id=person_id, path=request.path)
    form = pf.CaseNoteForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            record_services.case_note_create(person=person, by=request.user, occurred_at=d["occurred_at"],
                                             kind=d["kind"], summary=d["summary"], body=d["body"],
                                             is_significant=d["is_significant"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Your case note has been added.")
            return redirect("person-case-notes", person.id)
    page = Paginator(notes, 25).get_page(request.GET.get("page"))
    editable = {n.id for n in page if record_services.note_is_editable(n, request.user)}
    return render(request, "people/case_notes.html", {**_person_context(request, person, "notes"),
                                                      "page": page, "form": form, "editable": editable})


@person_page
def case_note_edit(request, person_id: int, note_id: int):
    note = record_selectors.case_note_for(user=request.user, note_id=note_id, path=request.path)
    if note.person_id != person_id:
        raise PermissionDenied("That note belongs to someone else's record.")
    if not record_services.note_is_editable(note, request.user):
        messages.info(request, "This note can no longer be changed. You can add an addendum to it.")
        return redirect("case-note-addendum", person_id, note.id)
    form = pf.CaseNoteForm(_posted(request), initial=pf.CaseNoteForm.initial_from(note))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            record_services.case_note_update(note=note, by=request.user, occurred_at=d["occurred_at"], kind=d["kind"],
                                             summary=d["summary"], body=d["body"], is_significant=d["is_significant"])
        except record_services.NoteLocked as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Your case note has been corrected.")
            return redirect("person-case-notes", person_id)
    return render(request, "people/case_note_edit.html",
                  {**_person_context(request, note.person, "notes"), "note": note, "form": form})


@person_page
def case_note_addendum(request, person_id: int, note_id: int):
    note = record_selectors.case_note_for(user=request.user, note_id=note_id, path=request.path)
    if note.person_id != person_id:
        raise PermissionDenied("That note belongs to someone else's record.")
    form = pf.AddendumForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            record_services.addendum_create(note=note, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Your addendum has been added.")
            return redirect("person-case-notes", person_id)
    return render(request, "people/addendum.html",
                  {**_person_context(request, note.person, "notes"), "note": note, "form": form})


@person_page
def person_contacts(request, person_id: int):
    person, contacts = record_selectors.contacts_for(user=request.user, person_id=person_id, path=request.path)
    return render(request, "people/contacts.html",
                  {**_person_context(request, person, "contacts"), "contacts": list(contacts)})


@person_page
def contact_create(request, person_id: int):
    person = people_selectors.person_for_user(user=request.user, person_id=person_id, resource="contacts",
                                              path=request.path)
    form = pf.ContactForm(_posted(request), initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        # A contact dated today is timed now; an earlier one, which nobody timed, at the start of that day's work.
        received_at = timezone.now() if d["received_on"] == timezone.localdate() else timezone.make_aware(
            datetime.datetime.combine(d["received_on"], datetime.time(9, 0)))
        try:
            record_services.contact_create(
                person=person, by=request.user, received_at=received_at, route_of_access=d["route_of_access"],
                made_by=d["made_by"], made_by_name=d["made_by_name"], channel=d["channel"], reason=d["reason"],
                urgency=d["urgency"], immediate_risk=d["immediate_risk"], has_carer=d["has_carer"],
                outcome=d["outcome"], layer=d["layer"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "The contact has been recorded.")
            return redirect("person-contacts", person.id)
    return render(request, "people/contact_form.html", {**_person_context(request, person, "contacts"), "form": form})


@person_page
def contact_outcome(request, person_id: int, contact_id: int):
    contact = record_selectors.contact_for(user=request.user, contact_id=contact_id, path=request.path)
    if contact.person_id != person_id:
        raise PermissionDenied("That contact belongs to someone else's record.")
    if contact.outcome:
        messages.info(request, "This contact already has an outcome.")
        return redirect("person-contacts", person_id)
    form = pf.ContactOutcomeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            record_services.contact_conclude(contact=contact, by=request.user, outcome=form.cleaned_data["outcome"],
                                             layer=form.cleaned_data["layer"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "The outcome of the contact has been recorded.")
            return redirect("person-contacts", person_id)
    return render(request, "people/contact_outcome.html",
                  {**_person_context(request, contact.person, "contacts"), "contact": contact, "form": form})


@person_page
def person_relationships(request, person_id: int):
    person, relationships = people_selectors.relationships_for(user=request.user, person_id=person_id,
                                                               path=request.path)
    form = pf.RelationshipForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            # Linking needs only what search shows of the other person, as in the API.
            other = people_selectors.person_to_link(user=request.user, person_id=d["other_person_id"],
                                                    path=request.path)
        except (people_selectors.Person.DoesNotExist, PermissionDenied):
            form.add_error("other_person_id", "There is no record you can link with that CareCase ID. Check it in "
                                              "Search: restricted records can be linked only by staff named on them")
        else:
            subject, obj = (person, other) if d["direction"] == "from" else (other, person)
            try:
                people_services.relationship_create(
                    person=subject, related_to=obj, kind=d["kind"], by=request.user,
                    family_relationship=d["family_relationship"],
                    lives_in_same_household=d["lives_in_same_household"], started_on=d["started_on"],
                    notes=d["notes"])
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, "The relationship has been added.")
                return redirect("person-relationships", person.id)
    return render(request, "people/relationships.html", {**_person_context(request, person, "relationships"),
                                                         "relationships": relationships, "form": form})


@person_page
def person_allocation(request, person_id: int):
    person = people_selectors.person_for_user(user=request.user, person_id=person_id, resource="allocation",
                                              path=request.path)
    history = staff_selectors.allocation_history(user=request.user, person=person, path=request.path)
    staff = staff_member(request.user)
    can_allocate = staff.role in staff_services.ALLOCATORS
    form = pf.AllocationForm(_posted(request)) if can_allocate else None
    if request.method == "POST":
        if not can_allocate:
            raise PermissionDenied("Only team leaders and senior managers can allocate.")
        if form.is_valid():
            try:
                staff_services.allocate(person=person, team=form.cleaned_data["team"], worker=form.cleaned_data["worker"],
                                        by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, "The allocation has been changed.")
                return redirect("person-allocation", person.id)
    return render(request, "people/allocation.html", {**_person_context(request, person, "allocation"),
                                                      "history": history, "form": form})


@person_page
def person_access_log(request, person_id: int):
    person = people_selectors.person_for_user(user=request.user, person_id=person_id, resource="access log",
                                              path=request.path)
    if not can_see_access_log(request.user, person):
        raise PermissionDenied("Only the team leader of the person's team and senior managers can see who has "
                               "looked at this record.")
    events, reasons = audit_selectors.access_log_for(person=person)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    reasons = reasons[:50]
    return render(request, "people/access_log.html", {**_person_context(request, person, "access"),
                                                      "page": page, "reasons": reasons, "basis": AccessBasis})


@require_POST
@person_page
def relationship_end(request, person_id: int, relationship_id: int):
    person, relationships = people_selectors.relationships_for(user=request.user, person_id=person_id,
                                                               path=request.path)
    relationship = next((r for r in relationships if r.id == relationship_id), None)
    if relationship is None:
        raise Http404("No such relationship for this person")
    try:
        people_services.relationship_end(relationship=relationship, ended_on=timezone.localdate(), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The relationship has been ended. It stays in the history.")
    return redirect("person-relationships", person.id)


@person_page
def person_restriction(request, person_id: int):
    """Restrict a record, and name who may open it. Senior managers and those named manage the names."""
    from django.contrib.auth import get_user_model

    person, grants = audit_selectors.restriction_for(user=request.user, person_id=person_id, path=request.path)
    can_manage = audit_services.can_restrict(request.user, person)
    if not can_manage:
        raise PermissionDenied("Only a senior manager, the team leader of the person's team, or someone named on "
                               "a restricted record can manage who may open it.")
    restrict_form = pf.RestrictForm(request.POST if request.POST.get("action") == "restrict" else None)
    grant_form = pf.GrantForm(request.POST if request.POST.get("action") == "grant" else None)
    action = request.POST.get("action")
    if request.method == "POST":
        try:
            if action == "restrict" and restrict_form.is_valid():
                audit_services.restrict_record(person=person, by=request.user, reason=restrict_form.cleaned_data["reason"])
                messages.success(request, "The record is now restricted. Only the people named below can open it.")
                return redirect("person-restriction", person.id)
            if action == "grant" and grant_form.is_valid():
                user = get_user_model().objects.filter(username=grant_form.cleaned_data["username"], is_active=True).first()
                if user is None:
                    grant_form.add_error("username", "There is no active member of staff with that username")
                else:
                    audit_services.grant_access(person=person, user=user, granted_by=request.user,
                                                reason=grant_form.cleaned_data["reason"])
                    messages.success(request, f"{user.get_full_name()} can now open this record.")
                    return redirect("person-restriction", person.id)
            if action == "revoke":
                grant = next((g for g in grants if str(g.id) == request.POST.get("grant") and g.revoked_at is None), None)
                if grant is None:
                    raise Http404("No such name on this record")
                audit_services.revoke_access(grant=grant, revoked_by=request.user)
                messages.success(request, f"{grant.user.get_full_name()} can no longer open this record.")
                return redirect("person-restriction", person.id)
            if action == "lift":
                audit_services.lift_restriction(person=person, by=request.user)
                messages.success(request, "The restriction has been lifted. The names stay in the history.")
                return redirect("person-restriction", person.id)
        except ValueError as exc:
            (grant_form if action == "grant" else restrict_form).add_error(None, str(exc))
    return render(request, "people/restriction.html", {
        **_person_context(request, person, "restriction"), "grants": grants,
        "restrict_form": restrict_form, "grant_form": grant_form,
    })


@person_page
def person_history(request, person_id: int):
    from django.contrib.auth import get_user_model

    person, entries = people_selectors.person_history(user=request.user, person_id=person_id, path=request.path)
    names = {u.pk: u.get_full_name() or u.username
             for u in get_user_model().objects.filter(pk__in={e.user_id for e in entries if e.user_id})}
    return render(request, "people/history.html", {**_person_context(request, person, "history"),
                                                   "entries": entries, "names": names})
