"""The team leaders' waiting-list dashboard (issue 4, GUIDE §4.5) and its CSV download.

Thin, like carecase.waiting.views: the figures come from carecase.waiting.figures (one definition of each,
shared with the API and the digest); names come only through the access-checked people listing, which
logs one access event per person shown. The CSV holds CareCase IDs, not names, and logs an "exported"
event for every person in it. The weekly chart is inline SVG drawn here, so it needs no JavaScript, with
the same figures in a table for screen readers.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import math

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from assessments.engine import waiting_priority
from carecase.audit.access import Level, access_levels, log_reads_each, staff_member
from carecase.audit.models import AccessAction, AccessBasis
from carecase.people.selectors import people_listing
from carecase.staff.models import Role, Team
from carecase.web.decorators import staff_required
from carecase.web.forms import GovukForm

from . import figures, services
from .figures import BANDS, WAIT_BANDS, Scope, TrendPoint
from .models import DashboardChoice, Queue

DASHBOARD_ROLES = (Role.TEAM_LEADER, Role.SENIOR_MANAGER)
LONGEST = 20
WEEKS = 52
SUBMITTED = "chosen"  # a hidden field: the form was sent, even with every box unticked ("all")
EXPORT_RESOURCE = "waiting-list dashboard download"


# ---------------------------------------------------------------- who may see it, and what they chose


def _dashboard_staff(user):
    staff = staff_member(user)
    if staff is None or staff.role not in DASHBOARD_ROLES:
        raise PermissionDenied("The waiting-list dashboard is for team leaders and senior managers.")
    return staff


class DashboardFilterForm(GovukForm):
    """Teams, waiting lists and priorities, each ticked in any number; none ticked means all."""

    team = forms.TypedMultipleChoiceField(
        label="Teams", coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Leave them all unticked to see every team.",
        error_messages={"invalid_choice": "Select teams from the list. There is no open team “%(value)s”"},
    )
    queue = forms.MultipleChoiceField(
        label="Waiting lists", required=False, widget=forms.CheckboxSelectMultiple, choices=Queue.choices,
        help_text="Leave them all unticked to see every list.",
        error_messages={"invalid_choice": "Select waiting lists from the list. There is no waiting list "
                                          "“%(value)s”"},
    )
    band = forms.MultipleChoiceField(
        label="Priorities", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Leave them all unticked to see every priority.",
        error_messages={"invalid_choice": "Select priorities from the list. There is no priority “%(value)s”"},
    )

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [(t.id, t.name) for t in teams]
        self.fields["band"].choices = [(b, waiting_priority.band_label(b)) for b in BANDS]

    def scope(self) -> Scope:
        d = self.cleaned_data
        return Scope(teams=tuple(d["team"]), queues=tuple(d["queue"]), bands=tuple(d["band"]))


def _was_submitted(request) -> bool:
    return any(key in request.GET for key in (SUBMITTED, "team", "queue", "band"))


def _saved_data(user, staff, teams) -> QueryDict:
    """The user's last choice, or for a team leader's first visit their own team. Teams closed since are
    left out (a saved choice was valid when it was saved)."""
    data = QueryDict(mutable=True)
    open_ids = {t.id for t in teams}
    choice = DashboardChoice.objects.filter(user=user).first()
    if choice is not None:
        data.setlist("team", [str(t) for t in choice.teams if t in open_ids])
        data.setlist("queue", [q for q in choice.queues if q in Queue.values])
        data.setlist("band", [b for b in choice.bands if b in BANDS])
    elif staff.role == Role.TEAM_LEADER and staff.team_id in open_ids:
        data.setlist("team", [str(staff.team_id)])
    return data


def _chosen(request, *, remember: bool):
    """The filter form and the scope it gives (None when something chosen is not on the lists)."""
    staff = _dashboard_staff(request.user)
    teams = list(Team.objects.filter(is_active=True).order_by("name"))
    submitted = _was_submitted(request)
    data = request.GET if submitted else _saved_data(request.user, staff, teams)
    form = DashboardFilterForm(data, teams=teams)
    if not form.is_valid():
        return form, teams, None
    scope = form.scope()
    if submitted and remember:
        services.dashboard_choice_save(user=request.user, scope=scope)
    return form, teams, scope


def _query_string(scope: Scope) -> str:
    """The choice as a query string, for the download link: explicit, so it never depends on what is saved."""
    data = QueryDict(mutable=True)
    data[SUBMITTED] = "1"
    data.setlist("team", [str(t) for t in scope.teams])
    data.setlist("queue", list(scope.queues))
    data.setlist("band", list(scope.bands))
    return data.urlencode()


def _names(chosen: list[str], everything: str) -> str:
    if not chosen:
        return everything
    if len(chosen) == 1:
        return chosen[0]
    return f"{', '.join(chosen[:-1])} and {chosen[-1]}"


def _scope_words(scope: Scope, teams) -> dict[str, str]:
    """The choice in words, in the order of the form (teams by name, lists and priorities as listed)."""
    team_names = [t.name for t in teams if t.id in scope.teams]
    bands = [waiting_priority.band_label(b) for b in BANDS if b in scope.bands]
    return {
        "teams": _names(team_names, "all teams"),
        "queues": _names([label for code, label in Queue.choices if code in scope.queues], "all waiting lists"),
        "bands": f"{_names(bands, '')} priority" if bands else "all priorities",
    }


# ---------------------------------------------------------------- the figures, in words


def _band(code: str) -> dict:
    info = waiting_priority.band_info(code)
    return {"code": code, "label": info.label, "tag_class": info.tag_class}


def _number(value) -> str:
    """Whole numbers with thousands separators; days to one decimal place only when not whole."""
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def _days(value) -> str:
    if value is None:
        return "Nobody waiting"
    return "1 day" if value == 1 else f"{_number(value)} days"


def _priority_rows(scope: Scope, today: dt.date) -> list[dict]:
    """Each priority in scope with its wait bands and median: one statement each, at most five, so the long
    waits of the low priority are there to see beside the others."""
    rows = []
    for code in scope.bands or BANDS:
        figs = figures.summary(dataclasses.replace(scope, bands=(code,)), today=today)
        rows.append(_priority_row(figs, band=_band(code)))
    return rows


def _priority_row(figs: dict, *, band: dict | None) -> dict:
    return {"band": band, "figures": figs, "total": _number(figs["total"]),
            "wait_bands": [_number(figs["by_band"][key]) for key, _label in WAIT_BANDS],
            "median": _days(figs["median_wait_days"]) if figs["total"] else "None waiting"}


def _longest(scope: Scope, today: dt.date, user, path: str = "") -> list[dict]:
    """The longest waits with the person's name when the user may see it. One access check and one
    access-log insert for everyone named, whatever the number of rows."""
    entries = list(figures.longest_waits(scope, limit=LONGEST).annotate(person_restricted=F("person__is_restricted")))
    visible = people_listing(user=user, person_ids=[e.person_id for e in entries], resource="waiting-list dashboard",
                             path=path) if entries else {}
    return [{
        "entry": entry,
        "person": visible.get(entry.person_id),
        "restricted": entry.person_restricted,
        "band": _band(entry.band),
        "days_waiting": (today - entry.waiting_since).days,
        "last_contact": timezone.localdate(entry.last_contact_at) if entry.last_contact_at else None,
        "overdue": figures.is_contact_overdue(entry, today),
    } for entry in entries]


# ---------------------------------------------------------------- the weekly chart (inline SVG)

CHART_WIDTH, LEFT, RIGHT = 880, 64, 24
PANEL_HEIGHT, PANEL_TOP, PANEL_GAP, BOTTOM = 130, 40, 70, 44


def _nice_ticks(largest: float) -> list[float]:
    """0 and up to four evenly spaced round numbers (1, 2, 2.5 or 5 times a power of ten) covering `largest`."""
    if largest <= 0:
        return [0, 1]
    raw = largest / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if step < 1:
        step = 1
    count = math.ceil(largest / step)
    return [round(step * k, 6) for k in range(count + 1)]


def _panel(points: list[TrendPoint], value, *, top: float, title: str, xs: list[float]) -> dict:
    values = [value(p) for p in points]
    ticks = _nice_ticks(max((v for v in values if v is not None), default=0))
    bottom, height = top + PANEL_HEIGHT, PANEL_HEIGHT

    def y(v):
        return round(bottom - height * v / ticks[-1], 1)

    segments, current, singles = [], [], []
    for x, v in zip(xs, values, strict=True):
        if v is None:  # no snapshot that week: a gap in the line, never a guess
            if len(current) == 1:
                singles.append(current[0])
            elif current:
                segments.append(" ".join(f"{a},{b}" for a, b in current))
            current = []
        else:
            current.append((x, y(v)))
    if len(current) == 1:
        singles.append(current[0])
    elif current:
        segments.append(" ".join(f"{a},{b}" for a, b in current))
    return {
        "title": title, "title_y": top - 14, "top": top, "bottom": bottom,
        "ticks": [{"y": y(t), "label": _number(t)} for t in ticks],
        "segments": segments, "singles": [{"x": a, "y": b} for a, b in singles],
    }


def _chart(points: list[TrendPoint]) -> dict | None:
    if not points:
        return None
    n = len(points)
    plot_width = CHART_WIDTH - LEFT - RIGHT
    step = plot_width / max(n - 1, 1)
    xs = [round(LEFT + i * step, 1) for i in range(n)]
    waiting = _panel(points, lambda p: p.waiting, top=PANEL_TOP, title="Number of people waiting", xs=xs)
    median = _panel(points, lambda p: p.median_wait_days, top=waiting["bottom"] + PANEL_GAP,
                    title="Median wait in days", xs=xs)
    axis_y = median["bottom"]
    label_at = sorted({0, n // 4, n // 2, (3 * n) // 4, n - 1})
    labels = [{"x": xs[i], "label": f"{points[i].week_ending:%-d %b %Y}",
               "anchor": "start" if i == 0 else "end" if i == n - 1 else "middle"} for i in label_at]
    # Weeks rebuilt afterwards are shaded, a half-step either side of their point, one band for each run.
    rebuilt, run_start = [], None
    for i, p in enumerate([*points, None]):
        if p is not None and p.reconstructed:
            run_start = i if run_start is None else run_start
        elif run_start is not None:
            start = max(LEFT, xs[run_start] - step / 2)
            end = min(CHART_WIDTH - RIGHT, xs[i - 1] + step / 2)
            rebuilt.append({"x": round(start, 1), "width": round(end - start, 1)})
            run_start = None
    return {
        "width": CHART_WIDTH, "height": axis_y + BOTTOM, "left": LEFT, "right": CHART_WIDTH - RIGHT,
        "panels": [waiting, median], "axis_y": axis_y, "label_y": axis_y + 24, "labels": labels,
        "tick_x": LEFT - 8, "tick_end": axis_y + 6,
        "rebuilt": rebuilt, "shade_top": PANEL_TOP, "shade_height": axis_y - PANEL_TOP,
        "summary": _trend_summary(points),
    }


def _trend_summary(points: list[TrendPoint]) -> str:
    """The chart in one paragraph, for its accessible name."""
    known = [p for p in points if p.waiting is not None]
    first_week, last_week = points[0].week_ending, points[-1].week_ending
    words = [f"Chart of the number of people waiting and the median wait, each week from the week ending "
             f"{first_week:%-d %B %Y} to the week ending {last_week:%-d %B %Y}."]
    if known:
        first, last = known[0], known[-1]
        highest = max(known, key=lambda p: p.waiting)
        words.append(f"People waiting: {first.waiting:,} in the week ending {first.week_ending:%-d %B %Y}, "
                     f"{last.waiting:,} in the week ending {last.week_ending:%-d %B %Y}; the most was "
                     f"{highest.waiting:,}, in the week ending {highest.week_ending:%-d %B %Y}.")
        medians = [p for p in known if p.median_wait_days is not None]
        if medians:
            words.append(f"Median wait: {_days(medians[0].median_wait_days)} at the start and "
                         f"{_days(medians[-1].median_wait_days)} at the end.")
    gaps = sum(1 for p in points if p.waiting is None)
    if gaps:
        words.append(f"{gaps} week{'s have' if gaps != 1 else ' has'} no snapshot and {'are' if gaps != 1 else 'is'} "
                     f"left as a gap.")
    rebuilt = sum(1 for p in points if p.reconstructed)
    if rebuilt:
        words.append(f"{rebuilt} week{'s were' if rebuilt != 1 else ' was'} rebuilt afterwards from joining and "
                     f"leaving dates.")
    return " ".join(words)


def _trend_rows(points: list[TrendPoint]) -> list[dict]:
    return [{"point": p, "waiting": _number(p.waiting), "median": _number(p.median_wait_days)} for p in points]


# ---------------------------------------------------------------- the pages


@staff_required
def dashboard(request):
    form, teams, scope = _chosen(request, remember=True)
    context = {"form": form, "scope": scope, "today": timezone.localdate()}
    if scope is not None:
        today = context["today"]
        summary = figures.summary(scope, today=today)
        points = figures.weekly_trend(scope, weeks=WEEKS, today=today)
        context |= {
            "words": _scope_words(scope, teams),
            "summary": summary,
            "headline": {
                "total": _number(summary["total"]),
                "median": _days(summary["median_wait_days"]),
                "p90": _days(summary["p90_wait_days"]),
                "over_6_months": _number(summary["over_6_months"]),
                "overdue": _number(summary["overdue_keep_in_touch"]),
            },
            "wait_band_labels": [label for _key, label in WAIT_BANDS],
            "all_priorities": _priority_row(summary, band=None),
            "priority_rows": _priority_rows(scope, today),
            "longest": _longest(scope, today, request.user, path=request.path),
            "longest_limit": LONGEST,
            "chart": _chart(points),
            "trend_rows": _trend_rows(points),
            "any_rebuilt": any(p.reconstructed for p in points),
            "any_gaps": any(p.waiting is None for p in points),
            "download_url": f"{reverse('waiting-dashboard-csv')}?{_query_string(scope)}",
        }
    return render(request, "waiting/dashboard.html", context)


def csv_safe(value) -> object:
    """A cell a spreadsheet will not run as a formula: text starting with = + - @ (or a tab or carriage return,
    which some spreadsheets skip) gets a leading apostrophe. Numbers and dates are left as they are."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@staff_required
def dashboard_csv(request):
    form, teams, scope = _chosen(request, remember=False)
    if scope is None:  # the page explains what is wrong, and keeps what was chosen
        return redirect(f"{reverse('waiting-dashboard')}?{request.GET.urlencode()}")
    today = timezone.localdate()
    summary = figures.summary(scope, today=today)
    points = figures.weekly_trend(scope, weeks=WEEKS, today=today)
    entries = list(figures.longest_waits(scope, limit=LONGEST).annotate(person_restricted=F("person__is_restricted")))
    _log_export(request, entries)

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="waiting-lists-{today.isoformat()}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    writer = csv.writer(response)

    def row(*cells):
        writer.writerow([csv_safe(c) for c in cells])

    words = _scope_words(scope, teams)
    row("Waiting lists: figures on", today.isoformat())
    row("Teams", words["teams"])
    row("Waiting lists", words["queues"])
    row("Priorities", words["bands"])
    row()
    row("Figure", "Value")
    row("People waiting", summary["total"])
    row("Median wait (days)", summary["median_wait_days"])
    row("90th percentile wait (days)", summary["p90_wait_days"])
    row("Waiting 6 months or more", summary["over_6_months"])
    row("Keep-in-touch contacts overdue", summary["overdue_keep_in_touch"])
    for code in BANDS:
        row(f"Priority: {waiting_priority.band_label(code)}", summary["by_priority"][code])
    for key, label in WAIT_BANDS:
        row(f"Waited: {label}", summary["by_band"][key])
    row()
    row("Week ending", "People waiting", "Median wait (days)", "Note")
    for p in points:
        note = "No snapshot" if p.waiting is None else "Rebuilt from joining and leaving dates" if p.reconstructed else ""
        row(p.week_ending.isoformat(), p.waiting, p.median_wait_days, note)
    row()
    row(f"The {LONGEST} longest waits (CareCase IDs, not names)")
    row("CareCase ID", "Waiting list", "Priority", "Waiting since", "Days waiting", "Team",
        "Last keep-in-touch contact", "Keep-in-touch contact overdue")
    for e in entries:
        row(e.person_id, e.get_queue_display(), waiting_priority.band_label(e.band), e.waiting_since.isoformat(),
            (today - e.waiting_since).days, e.team.name,
            timezone.localdate(e.last_contact_at).isoformat() if e.last_contact_at else "",
            "Yes" if figures.is_contact_overdue(e, today) else "No")
    return response


def _log_export(request, entries) -> None:
    """An "exported" access event for everyone in the download, through the one access policy, in one insert.
    Only CareCase IDs are exported, so people the user may not open are logged as limited, as search does."""
    if not entries:
        return
    levels = access_levels(request.user, [_Listed(e.person_id, e.person_restricted) for e in entries])
    bases = {pid: access.basis or AccessBasis.LIMITED for pid, access in levels.items() if access.level > Level.NONE}
    log_reads_each(request.user, bases, action=AccessAction.EXPORT, resource=EXPORT_RESOURCE,
                   path=request.get_full_path())


@dataclasses.dataclass(frozen=True)
class _Listed:
    id: int
    is_restricted: bool
