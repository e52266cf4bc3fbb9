"""Waiting lists: the headline figures (counts, not people) and the list of entries (people, access-checked).

Filters may be repeated or comma-separated (`?team=3&team=4` or `?team=3,4`); values from different
filters narrow together, values of one filter widen (team 3 or 4). Anything not understood is refused
with 400 rather than ignored: a misspelt filter silently dropped would answer for everyone.
"""

from __future__ import annotations

from django.http import QueryDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from carecase.audit.access import Level, NoAccess, can_search
from carecase.staff.models import Team
from carecase.waiting import figures
from carecase.waiting.figures import BANDS, WAIT_BANDS, Scope
from carecase.waiting.models import Band, ExitReason, Queue
from carecase.waiting.selectors import ENTRY_ORDERINGS, entries_listing

from .base import API_READ, ApiView
from .fields import CodeField, TeamReference
from .people import ACCESS_FOR_LEVEL, AccessShown
from .schema import ERRORS_400, ERRORS_403

UNKNOWN_PARAMETER = "This parameter is not recognised. Check its spelling against the API documentation at /api/docs/."
ALWAYS_ALLOWED = {"format"}  # DRF's own choice of renderer


def _allowed(values) -> str:
    return ", ".join(f'"{value}"' for value in values)


# --- query parameters ---------------------------------------------------------------------------------


def _listed(params: QueryDict, name: str) -> list[str]:
    """Every value of a filter, whether repeated (team=3&team=4) or comma-separated (team=3,4)."""
    return [value.strip() for raw in params.getlist(name) for value in raw.split(",") if value.strip()]


def _single(params: QueryDict, name: str, errors: dict) -> str | None:
    values = params.getlist(name)
    if len(values) > 1:
        errors[name] = [f"Give {name} once."]
        return None
    return values[0].strip() if values else None


def _unknown(params: QueryDict, known: set[str], errors: dict) -> None:
    for name in params:
        if name not in known | ALWAYS_ALLOWED:
            errors[name] = [UNKNOWN_PARAMETER]


def _scope(params: QueryDict, errors: dict) -> Scope | None:
    """The teams, queues and priorities asked for, each checked, with every problem reported at once."""
    teams: list[int] = []
    raw_teams = _listed(params, "team")
    not_numbers = [value for value in raw_teams if not value.isdecimal()]
    if not_numbers:
        errors["team"] = [f'"{not_numbers[0]}" is not a team id. Give team ids as whole numbers, for example '
                          "team=3 or team=3,4."]
    elif raw_teams:
        teams = sorted({int(value) for value in raw_teams})
        # Any team that exists, open or closed: people can still be waiting on a closed team's list.
        # (Ids too big for the database are simply not found, rather than an error from PostgreSQL.)
        possible = [team for team in teams if team < 2**63]
        found = set(Team.objects.filter(id__in=possible).values_list("id", flat=True)) if possible else set()
        missing = [str(team) for team in teams if team not in found]
        if len(missing) == 1:
            errors["team"] = [f"There is no team with id {missing[0]}. Team ids are listed at /api/v1/teams/."]
        elif missing:
            errors["team"] = [f"There are no teams with ids {', '.join(missing)}. Team ids are listed at "
                              "/api/v1/teams/."]
    codes = {}
    for name, choices, noun in (("queue", Queue, "a queue"), ("priority", Band, "a priority")):
        values = _listed(params, name)
        wrong = [value for value in values if value not in choices.values]
        if wrong:
            errors[name] = [f'"{wrong[0]}" is not {noun}. Use one or more of: {_allowed(choices.values)}.']
        codes[name] = tuple(values)
    if errors:
        return None
    return Scope(teams=tuple(teams), queues=codes["queue"], bands=codes["priority"])


def _enum_help(choices) -> str:
    return "\n".join(f"* `{value}`: {label}" for value, label in choices.choices)


REPEAT = "Repeat the parameter or separate values with commas (`{0}={1}&{0}={2}` or `{0}={1},{2}`): any of them matches."
SCOPE_PARAMETERS = [
    OpenApiParameter("team", OpenApiTypes.INT, many=True, explode=True,
                     description="Only these teams, by id (see /api/v1/teams/). " + REPEAT.format("team", 3, 4)),
    OpenApiParameter("queue", OpenApiTypes.STR, many=True, explode=True, enum=Queue.values,
                     description="Only these queues. " + REPEAT.format("queue", "assessment", "review") + "\n\n" + _enum_help(Queue)),
    OpenApiParameter("priority", OpenApiTypes.STR, many=True, explode=True, enum=Band.values,
                     description="Only these priority bands. " + REPEAT.format("priority", "urgent", "high") + "\n\n"
                     + _enum_help(Band)),
]


# --- the summary --------------------------------------------------------------------------------------


SummaryOutput = inline_serializer(
    name="WaitingListSummary",
    fields={
        "total": serializers.IntegerField(help_text="People waiting (open entries)."),
        "by_priority": inline_serializer(
            name="WaitingByPriority",
            fields={band.value: serializers.IntegerField(help_text=band.label) for band in BANDS},
        ),
        "by_band": inline_serializer(
            name="WaitingByWaitBand",
            fields={key: serializers.IntegerField(help_text=label) for key, label in WAIT_BANDS},
            help_text="How long they have waited, in calendar months (4 weeks for the first band).",
        ),
        "median_wait_days": serializers.FloatField(allow_null=True, help_text="Null when nobody is waiting."),
        "p90_wait_days": serializers.FloatField(
            allow_null=True, help_text="90th percentile, interpolated. Null when nobody is waiting."
        ),
        "over_6_months": serializers.IntegerField(help_text="Waiting 6 months or more."),
        "overdue_keep_in_touch": serializers.IntegerField(
            help_text="Keep-in-touch contacts past their band's grace period in working days."
        ),
    },
)


@extend_schema(tags=["Waiting lists"])
class WaitingSummaryView(ApiView):
    pagination_class = None

    @extend_schema(
        summary="Waiting-list figures",
        parameters=SCOPE_PARAMETERS,
        responses={200: SummaryOutput, 400: ERRORS_400, 403: ERRORS_403},
    )
    def get(self, request):
        """How many people are waiting, by priority and by how long, the median and 90th-percentile wait,
        how many have waited 6 months or more and how many keep-in-touch contacts are overdue. Counts only:
        no person is named, so nothing is recorded in the access log. Every role except administrators."""
        if not can_search(request.user):
            raise NoAccess("Your role does not read waiting lists. Administrators manage accounts, not records.")
        errors: dict[str, list[str]] = {}
        _unknown(request.query_params, {"team", "queue", "priority"}, errors)
        scope = _scope(request.query_params, errors)
        if errors:
            raise serializers.ValidationError(errors)
        return Response(figures.summary(scope))


# --- the entries --------------------------------------------------------------------------------------


class WaitingPerson(serializers.Serializer):
    """The person waiting. The name is left out where people search would not show it (a restricted record
    the caller is not named on)."""

    id = serializers.IntegerField()
    access = CodeField(AccessShown)
    name = serializers.CharField(allow_null=True)

    def to_representation(self, entry):
        level = entry.access.level
        return {
            "id": entry.person_id,
            # NONE cannot reach here (the view refuses roles without access); shown as restricted if it did.
            "access": ACCESS_FOR_LEVEL.get(level, AccessShown.RESTRICTED).value,
            "name": entry.person.display_name if level >= Level.LIMITED else None,
        }


class WaitingEntryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    person = WaitingPerson(source="*")
    queue = CodeField(Queue)
    team = TeamReference()
    waiting_since = serializers.DateField()
    days_waiting = serializers.IntegerField(help_text="Days from joining to today, or to the day they left.")
    band = CodeField(Band, help_text="The priority band.")
    suggested_band = CodeField(Band, help_text="The band the risk checklist suggested.")
    next_contact_due = serializers.DateField(allow_null=True)
    keep_in_touch_overdue = serializers.BooleanField(
        help_text="The keep-in-touch contact is past its band's grace period in working days (open entries only)."
    )
    left_on = serializers.DateField(allow_null=True)
    exit_reason = CodeField(ExitReason, allow_null=True)


ENTRY_PARAMETERS = {"team", "queue", "priority", "ordering", "include_left", "page", "page_size"}


@extend_schema(tags=["Waiting lists"])
class WaitingEntriesView(ApiView):
    @extend_schema(
        summary="List waiting-list entries",
        parameters=[
            *SCOPE_PARAMETERS,
            OpenApiParameter(
                "ordering", OpenApiTypes.STR, enum=list(ENTRY_ORDERINGS),
                description="`waiting_since` (the default): longest wait first; `-waiting_since`: shortest "
                "first; `band`: urgent first, then longest wait; `next_contact_due` / `-next_contact_due`: "
                "by the next keep-in-touch date, entries without one last.",
            ),
            OpenApiParameter(
                "include_left", OpenApiTypes.BOOL,
                description="`true` also lists entries of people who have left the list (with `left_on` and "
                "`exit_reason`). The default, `false`, lists only people still waiting.",
            ),
        ],
        responses={200: WaitingEntryOutput(many=True), 400: ERRORS_400, 403: ERRORS_403},
    )
    def get(self, request):
        """Across teams, whoever's list it is. What each row shows of the person follows the people search:
        the name where search would show it, only the id of a restricted record you are not named on.
        Every person on the page is recorded in the access log. Every role except administrators."""
        if not can_search(request.user):
            raise NoAccess("Your role does not read people's records. Administrators manage accounts, not records.")
        params = request.query_params
        errors: dict[str, list[str]] = {}
        _unknown(params, ENTRY_PARAMETERS, errors)
        ordering = _single(params, "ordering", errors) or "waiting_since"
        if "ordering" not in errors and ordering not in ENTRY_ORDERINGS:
            errors["ordering"] = [f'"{ordering}" is not a way to order entries. Use one of: '
                                  f"{_allowed(ENTRY_ORDERINGS)}."]
        include_left = (_single(params, "include_left", errors) or "false").lower()
        if "include_left" not in errors and include_left not in ("true", "false"):
            errors["include_left"] = ['Enter true or false: "true" also lists people who have left the list.']
        scope = _scope(params, errors)
        if errors:
            raise serializers.ValidationError(errors)
        rows = entries_listing(user=request.user, scope=scope, ordering=ordering,
                               include_left=include_left == "true", action=API_READ, path=request.path)
        return self.paginated(rows, WaitingEntryOutput)
