"""Teams and staff. Not person-level data: any member of staff may list them."""

from __future__ import annotations

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from carecase.staff.models import Role, StaffMember, Team, TeamKind
from carecase.staff.selectors import staff_list, teams_list

from .base import ApiView
from .fields import CodeField, TeamReference
from .schema import ERRORS_400, ERRORS_404


class TeamFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=TeamKind.choices)

    class Meta:
        model = Team
        fields = ["kind"]


class StaffFilter(django_filters.FilterSet):
    team = django_filters.NumberFilter(field_name="team_id", help_text="A team's id.")
    role = django_filters.ChoiceFilter(choices=Role.choices)

    class Meta:
        model = StaffMember
        fields = ["team", "role"]


class TeamOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = CodeField(TeamKind)
    locality = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.EmailField()
    open_cases = serializers.IntegerField(help_text="People currently allocated to the team.")
    waiting_target_days = serializers.IntegerField(
        help_text="The longest the team aims to keep anyone waiting, in days; longer waits are listed in the "
                  "team leader's daily digest.")


class StaffOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")
    role = CodeField(Role)
    job_title = serializers.CharField()
    team = TeamReference(allow_null=True)
    direct_phone = serializers.CharField()
    email = serializers.EmailField(source="user.email")


@extend_schema(tags=["Teams and staff"])
class TeamsView(ApiView):
    filter_backends = [DjangoFilterBackend]
    filterset_class = TeamFilter
    queryset = Team.objects.none()  # names the model for the schema; rows come from the selector

    @extend_schema(summary="List teams", responses={200: TeamOutput(many=True), 400: ERRORS_400})
    def get(self, request):
        # Counting open cases groups the rows, which drops the model's ordering: page in a stable order.
        return self.paginated(teams_list().order_by("name", "id"), TeamOutput)


@extend_schema(tags=["Teams and staff"])
class TeamView(ApiView):
    @extend_schema(summary="Read a team", responses={200: TeamOutput, 404: ERRORS_404})
    def get(self, request, pk: int):
        return Response(TeamOutput(teams_list().get(pk=pk)).data)


@extend_schema(tags=["Teams and staff"])
class StaffListView(ApiView):
    filter_backends = [DjangoFilterBackend]
    filterset_class = StaffFilter
    queryset = StaffMember.objects.none()  # names the model for the schema; rows come from the selector

    @extend_schema(summary="List staff", responses={200: StaffOutput(many=True), 400: ERRORS_400})
    def get(self, request):
        return self.paginated(staff_list(), StaffOutput)


@extend_schema(tags=["Teams and staff"])
class StaffMemberView(ApiView):
    @extend_schema(summary="Read a member of staff", responses={200: StaffOutput, 404: ERRORS_404})
    def get(self, request, pk: int):
        return Response(StaffOutput(staff_list().get(pk=pk)).data)
