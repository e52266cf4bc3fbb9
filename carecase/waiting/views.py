"""Staff pages for waiting lists: one person's entries and joining a list (with the live suggested priority),
and one entry with its priority history, keep-in-touch contacts, a new look at the priority and leaving.

Thin, like carecase.web.views: forms shape what was typed, selectors read (access-checked and logged),
services write and apply the priority rules.
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments.engine import waiting_priority
from carecase.audit.access import staff_member
from carecase.people import selectors as people_selectors
from carecase.web.decorators import person_page, staff_required
from carecase.web.views import _apply_errors, _person_context, _posted
from portal.selectors import open_duty_tasks

from . import forms as wf
from . import reminders, selectors, services
from .figures import is_contact_overdue
from .models import ChangeReason, KeepInTouchResult, WaitingListEntry

PANEL_PREFIXES = {"": "", "review": "review"}


def entry_page(view):
    """Views under /waiting/<entry_id>/: a missing entry is a 404; access outcomes as for person pages."""

    @person_page
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except WaitingListEntry.DoesNotExist:
            raise Http404("No waiting-list entry with that number") from None

    return wrapper


# ---------------------------------------------------------------- how entries look on the page


def _band(code: str) -> dict:
    info = waiting_priority.band_info(code)
    return {"code": code, "label": info.label, "tag_class": info.tag_class, "meaning": info.meaning}


def _suggestion(answers: dict[str, bool]) -> dict:
    suggestion = waiting_priority.suggest(answers)
    return {"band": _band(suggestion.band), "reasons": suggestion.reasons,
            "ruleset_version": suggestion.ruleset_version}


def _row(entry: WaitingListEntry, today) -> dict:
    """What the pages show about an entry, in words."""
    until = entry.left_on or today
    due = entry.next_contact_due
    return {
        "entry": entry,
        "band": _band(entry.band),
        "suggested": _band(entry.suggested_band),
        "days_waiting": (until - entry.waiting_since).days,
        "next_due": due if entry.is_open else None,
        "due_passed": bool(entry.is_open and due and due < today),
        "overdue": is_contact_overdue(entry, today),
    }


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


# ---------------------------------------------------------------- the person's waiting lists


@person_page
def person_waiting(request, person_id: int):
    person, entries = selectors.entries_for(user=request.user, person_id=person_id, path=request.path)
    staff = staff_member(request.user)
    form = wf.EntryCreateForm(_posted(request), initial={"team": staff.team_id if staff else None})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            entry = services.entry_create(person=person, queue=d["queue"], team=d["team"], by=request.user,
                                          checklist=form.answers(), band=form.chosen_band(), note=d["note"],
                                          waiting_since=d["waiting_since"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"{person.display_name} has been added to the {entry.get_queue_display()} "
                                      f"waiting list with {waiting_priority.band_label(entry.band).lower()} "
                                      f"priority.")
            return redirect("waiting-entry", entry.id)
    today = timezone.localdate()
    rows = [_row(e, today) for e in entries]
    return render(request, "waiting/person_waiting.html", {
        **_person_context(request, person, "waiting"),
        "open_rows": [r for r in rows if r["entry"].is_open],
        "closed_rows": [r for r in rows if not r["entry"].is_open],
        "form": form,
        "suggestion": _suggestion(form.posted_answers()),
        "prefix": "",
    })


@require_POST
@person_page
def suggestion_preview(request, person_id: int):
    """The live "suggested priority" panel (htmx): evaluates the posted checklist, saves nothing."""
    people_selectors.person_for_user(user=request.user, person_id=person_id, resource="waiting lists",
                                     path=request.path)
    prefix = PANEL_PREFIXES.get(request.GET.get("prefix", ""), "")
    form = wf.ChecklistForm(request.POST, prefix=prefix or None)
    return render(request, "waiting/_suggestion.html",
                  {"suggestion": _suggestion(form.posted_answers()), "prefix": prefix, "live": True})


# ---------------------------------------------------------------- one entry


def _entry_context(request, entry: WaitingListEntry, *, kit=None, review=None, leave=None) -> dict:
    today = timezone.localdate()
    row = _row(entry, today)
    initial = {"risks": [code for code, yes in (entry.checklist or {}).items() if yes]}
    if request.GET.get("changed"):  # straight after a keep-in-touch contact that found a change
        initial["reason"] = ChangeReason.KEEP_IN_TOUCH
    review = review or wf.ReprioritiseForm(prefix="review", initial=initial)
    kit = kit or wf.KeepInTouchForm(prefix="kit")
    leave = leave or wf.LeaveForm(prefix="leave")
    failed = next((f for f in (kit, review, leave) if f.is_bound and f.errors), None)
    changes = [{"change": c, "from": _band(c.from_band) if c.from_band else None, "to": _band(c.to_band),
                "suggested": _band(c.suggested_band)} for c in entry.priority_changes.all()]
    return {
        **_person_context(request, entry.person, "waiting"),
        "row": row,
        "entry": entry,
        "changes": changes,
        "contacts": list(entry.keep_in_touch.all()),
        "kit_form": kit,
        "review_form": review,
        "leave_form": leave,
        "form": failed,  # the error summary and the page title's "(error)"
        "suggestion": _suggestion(review.posted_answers()),
        "prefix": "review",
        "days_label": _days(row["days_waiting"]),
    }


def _entry(request, entry_id: int) -> WaitingListEntry:
    return selectors.entry_for(user=request.user, entry_id=entry_id, path=request.path)


@entry_page
def entry_detail(request, entry_id: int):
    entry = _entry(request, entry_id)
    return render(request, "waiting/entry_detail.html", _entry_context(request, entry))


@entry_page
def entry_keep_in_touch(request, entry_id: int):
    if request.method != "POST":
        return redirect("waiting-entry", entry_id)
    entry = _entry(request, entry_id)
    form = wf.KeepInTouchForm(request.POST, prefix="kit")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.keep_in_touch_record(entry=entry, by=request.user, made_contact=form.made_contact_value(),
                                          result=d["result"], summary=d["summary"], body=d["body"],
                                          method=d["method"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            entry.refresh_from_db()
            if d["result"] == KeepInTouchResult.NO_LONGER_NEEDED:
                messages.success(request, "The keep-in-touch contact has been recorded as a case note, and they "
                                          "have been taken off the waiting list.")
            elif d["result"] == KeepInTouchResult.CHANGED:
                messages.success(request, "The keep-in-touch contact has been recorded as a case note. Their "
                                          "circumstances have changed: look at the priority again below.")
                return redirect(f"{reverse('waiting-entry', args=[entry.id])}?changed=1#review")
            else:
                messages.success(request, f"The keep-in-touch contact has been recorded as a case note. The next "
                                          f"one is due by {entry.next_contact_due:%-d %B %Y}.")
            return redirect("waiting-entry", entry.id)
    return render(request, "waiting/entry_detail.html", _entry_context(request, entry, kit=form))


@entry_page
def entry_reprioritise(request, entry_id: int):
    if request.method != "POST":
        return redirect("waiting-entry", entry_id)
    entry = _entry(request, entry_id)
    form = wf.ReprioritiseForm(request.POST, prefix="review")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.entry_reprioritise(entry=entry, by=request.user, checklist=form.answers(), reason=d["reason"],
                                        band=form.chosen_band(), note=d["note"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"The priority is now {waiting_priority.band_label(entry.band).lower()}. "
                                      f"The next keep-in-touch contact is due by "
                                      f"{entry.next_contact_due:%-d %B %Y}. They still count as waiting since "
                                      f"{entry.waiting_since:%-d %B %Y}.")
            return redirect("waiting-entry", entry.id)
    return render(request, "waiting/entry_detail.html", _entry_context(request, entry, review=form))


@entry_page
def entry_leave(request, entry_id: int):
    if request.method != "POST":
        return redirect("waiting-entry", entry_id)
    entry = _entry(request, entry_id)
    form = wf.LeaveForm(request.POST, prefix="leave")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.entry_leave(entry=entry, by=request.user, reason=d["reason"], left_on=d["left_on"],
                                 note=d["note"])
        except ValidationError as exc:
            entry.refresh_from_db(fields=["left_on", "exit_reason", "exit_note", "next_contact_due"])
            _apply_errors(form, exc)
        else:
            messages.success(request, f"{entry.person.display_name} has been taken off the "
                                      f"{entry.get_queue_display()} waiting list.")
            return redirect("person-waiting", entry.person_id)
    return render(request, "waiting/entry_detail.html", _entry_context(request, entry, leave=form))


# ---------------------------------------------------------------- the team's duty worktray


@staff_required
def duty_worktray(request):
    """The team's duty worktray: urgent duty tasks (someone said in their self-review that they do not feel
    safe), then keep-in-touch contacts due, put here by the daily sweep, until each is made."""
    staff = staff_member(request.user)
    if staff.team is None:
        raise PermissionDenied("The duty worktray belongs to a team, and your account is not in one. "
                               "Ask an administrator to add you to your team.")
    today = timezone.localdate()
    page = Paginator(reminders.duty_worktray(staff.team, today=today), 50).get_page(request.GET.get("page"))
    tasks = list(open_duty_tasks(staff.team))
    visible = people_selectors.people_listing(
        user=request.user, person_ids=[r.entry.person_id for r in page] + [t.person_id for t in tasks])
    rows = [{**_row(r.entry, today), "reminder": r, "person": visible.get(r.entry.person_id)} for r in page]
    task_rows = [{"task": t, "person": visible.get(t.person_id), "overdue": t.due_on < today} for t in tasks]
    return render(request, "waiting/duty_worktray.html", {"page": page, "rows": rows, "team": staff.team,
                                                          "tasks": task_rows})
