"""The safeguarding API: concerns (list, read, raise), the section 42 decision, enquiries and the Safeguarding
Adults Collection figures. Scoped and logged exactly as the pages are (safeguarding/selectors.py): a list shows
only what the caller may open, every read is a RecordAccessEvent with resource "safeguarding", and a refusal
is a 403 (logged against the person). Bad input is a 400 with field errors, never a 500."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from carecase.api.base import API_READ, ApiView
from carecase.api.fields import CodeField, InputSerializer, datetime_field
from carecase.api.schema import ERRORS_400, ERRORS_403, ERRORS_404
from safeguarding import selectors, services
from safeguarding.codes import (
    AbuseType,
    AdvocacySupport,
    Capacity,
    LocationOfRisk,
    OutcomesAsked,
    SourceOfRisk,
)
from safeguarding.models import (
    AllegedKnown,
    ConcernStatus,
    DecisionResult,
    FeedbackAnswer,
    RaisedByRole,
    YesNoNotKnown,
)


class DecisionOutput(serializers.Serializer):
    has_care_needs = serializers.BooleanField()
    has_care_needs_reason = serializers.CharField()
    at_risk = serializers.BooleanField()
    at_risk_reason = serializers.CharField()
    cannot_protect = serializers.BooleanField()
    cannot_protect_reason = serializers.CharField()
    result = CodeField(DecisionResult, name="SafeguardingDecisionResult")
    advice_given = serializers.CharField()
    referred_to = serializers.CharField()
    decided_at = serializers.DateTimeField()
    decided_by = serializers.CharField(source="decided_by.get_full_name")
    within_timescale = serializers.BooleanField()


class ConcernOutput(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    received_at = serializers.DateTimeField()
    raised_by_role = CodeField(RaisedByRole, name="SafeguardingRaisedBy")
    raised_by_name = serializers.CharField()
    raised_by_organisation = serializers.CharField()
    abuse_types = serializers.ListField(child=serializers.CharField())
    location_of_risk = CodeField(LocationOfRisk, name="SacLocationOfRisk")
    source_of_risk = CodeField(SourceOfRisk, name="SacSourceOfRisk")
    what_happened = serializers.CharField()
    immediate_risk = serializers.BooleanField()
    protection_actions = serializers.CharField()
    police_informed = serializers.BooleanField()
    outcomes_asked = CodeField(OutcomesAsked, name="MspOutcomesAsked")
    desired_outcomes = serializers.CharField()
    capacity = CodeField(Capacity, name="SafeguardingCapacity")
    advocacy = CodeField(AdvocacySupport, name="MspAdvocacy")
    alleged_known = CodeField(AllegedKnown, name="SafeguardingAllegedKnown", allow_null=True,
                              help_text="Is the person alleged to cause harm known? Null on older concerns")
    alleged_name = serializers.CharField()
    alleged_description = serializers.CharField()
    alleged_relationship = serializers.CharField()
    alleged_position_of_trust = serializers.BooleanField(allow_null=True)
    alleged_care_needs = CodeField(YesNoNotKnown, name="SafeguardingYesNoNotKnown", allow_null=True)
    others_at_risk = serializers.BooleanField(allow_null=True)
    others_at_risk_details = serializers.CharField()
    children_at_risk = serializers.BooleanField(allow_null=True)
    children_referral_made = serializers.BooleanField(allow_null=True)
    children_referral_reason = serializers.CharField()
    immediate_risk_check_needed = serializers.BooleanField(
        source="needs_protection_check", help_text="At immediate risk, and nothing recorded yet about what was "
                                                   "done to protect them")
    status = CodeField(ConcernStatus, name="SafeguardingConcernStatus")
    decision_due_on = serializers.DateField()
    is_restricted = serializers.BooleanField()
    enquiry = serializers.SerializerMethodField()

    def get_enquiry(self, concern) -> int | None:
        enquiry = getattr(concern, "enquiry", None) if hasattr(concern, "enquiry") else None
        return enquiry.pk if enquiry is not None else None


class ConcernInput(InputSerializer):
    person = serializers.IntegerField(min_value=1)
    received_at = datetime_field()
    raised_by_role = CodeField(RaisedByRole, name="SafeguardingRaisedBy")
    raised_by_name = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    raised_by_organisation = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    abuse_types = serializers.ListField(child=CodeField(AbuseType, name="SacTypeOfAbuse"), allow_empty=False)
    location_of_risk = CodeField(LocationOfRisk, name="SacLocationOfRisk")
    source_of_risk = CodeField(SourceOfRisk, name="SacSourceOfRisk")
    what_happened = serializers.CharField()
    immediate_risk = serializers.BooleanField()
    protection_actions = serializers.CharField(required=False, allow_blank=True, default="")
    police_informed = serializers.BooleanField()
    outcomes_asked = CodeField(OutcomesAsked, name="MspOutcomesAsked")
    desired_outcomes = serializers.CharField(required=False, allow_blank=True, default="")
    capacity = CodeField(Capacity, name="SafeguardingCapacity")
    advocacy = CodeField(AdvocacySupport, name="MspAdvocacy", required=False, allow_blank=True, default="")
    alleged_known = CodeField(AllegedKnown, name="SafeguardingAllegedKnown")
    alleged_name = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    alleged_description = serializers.CharField(required=False, allow_blank=True, default="")
    alleged_relationship = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    alleged_position_of_trust = serializers.BooleanField(required=False, allow_null=True, default=None)
    alleged_care_needs = CodeField(YesNoNotKnown, name="SafeguardingYesNoNotKnown", required=False,
                                   allow_blank=True, default="")
    others_at_risk = serializers.BooleanField()
    others_at_risk_details = serializers.CharField(required=False, allow_blank=True, default="")
    children_at_risk = serializers.BooleanField(required=False, allow_null=True, default=None)
    children_referral_made = serializers.BooleanField(required=False, allow_null=True, default=None)
    children_referral_reason = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionInput(InputSerializer):
    has_care_needs = serializers.BooleanField()
    has_care_needs_reason = serializers.CharField()
    at_risk = serializers.BooleanField()
    at_risk_reason = serializers.CharField()
    cannot_protect = serializers.BooleanField()
    cannot_protect_reason = serializers.CharField()
    result = CodeField(DecisionResult, name="SafeguardingDecisionResult")
    advice_given = serializers.CharField(required=False, allow_blank=True, default="")
    referred_to = serializers.CharField(required=False, allow_blank=True, default="")
    lead_enquirer = serializers.IntegerField(required=False, allow_null=True, default=None,
                                             help_text="The staff id of the lead enquirer")
    caused_organisation = serializers.CharField(required=False, allow_blank=True, default="")
    strategy_needed = serializers.BooleanField(required=False, allow_null=True, default=None,
                                               help_text="Is a strategy discussion needed? Required for a section "
                                                         "42 enquiry")


class StrategyOutput(serializers.Serializer):
    held_on = serializers.DateField()
    is_meeting = serializers.BooleanField()
    attendees = serializers.CharField()
    police_attended = serializers.BooleanField()
    crime_possible = serializers.BooleanField()
    police_informed = serializers.BooleanField(allow_null=True)
    no_police_reason = serializers.CharField()


class ActionOutput(serializers.Serializer):
    description = serializers.CharField()
    owner = serializers.CharField()
    due_on = serializers.DateField()
    done_on = serializers.DateField(allow_null=True)


class FeedbackOutput(serializers.Serializer):
    agreed = serializers.BooleanField()
    listened_to = CodeField(FeedbackAnswer, name="SafeguardingFeedbackAnswer", allow_null=True)
    got_outcomes = CodeField(FeedbackAnswer, name="SafeguardingFeedbackAnswer", allow_null=True)
    feels_safer = CodeField(FeedbackAnswer, name="SafeguardingFeedbackAnswer", allow_null=True)
    comment = serializers.CharField()
    given_on = serializers.DateField()


class EnquiryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    concern = serializers.IntegerField(source="concern_id")
    person = serializers.IntegerField(source="concern.person_id")
    kind = serializers.CharField()
    status = serializers.CharField()
    started_on = serializers.DateField()
    lead_enquirer = serializers.IntegerField(source="lead_enquirer_id", allow_null=True)
    caused_organisation = serializers.CharField()
    organisational_enquiry = serializers.IntegerField(source="organisational_enquiry_id", allow_null=True)
    strategy_discussions = StrategyOutput(many=True)
    actions = ActionOutput(many=True)
    risk_outcome = serializers.CharField()
    risk_result = serializers.CharField()
    outcomes_achieved = serializers.CharField()
    feedback_offered = serializers.BooleanField(allow_null=True)
    concluded_on = serializers.DateField(allow_null=True)
    strategy_needed = serializers.BooleanField(allow_null=True)
    strategy_due_on = serializers.DateField(allow_null=True)
    planning_due_on = serializers.DateField(allow_null=True)
    feedback = serializers.SerializerMethodField()

    @extend_schema_field(FeedbackOutput(allow_null=True))
    def get_feedback(self, enquiry) -> dict | None:
        feedback = getattr(enquiry, "feedback", None) if hasattr(enquiry, "feedback") else None
        return FeedbackOutput(feedback).data if feedback is not None else None


class SacRow(serializers.Serializer):
    section = serializers.CharField()
    value = serializers.CharField(help_text="The national value (or a total's name)")
    count = serializers.IntegerField()


class SacOutput(serializers.Serializer):
    year = serializers.IntegerField(help_text="The year the financial year starts in")
    starts = serializers.DateField()
    ends = serializers.DateField()
    rows = SacRow(many=True)


class ConcernsView(ApiView):
    @extend_schema(responses={200: ConcernOutput(many=True), 403: ERRORS_403}, summary="Concerns you may open")
    def get(self, request):
        rows = selectors.visible_concerns(request.user).select_related("enquiry").order_by("-received_at", "-id")
        wanted = request.query_params.get("status")
        if wanted:
            if wanted not in ConcernStatus.values:
                return Response({"status": [f"Use one of: {', '.join(ConcernStatus.values)}."]},
                                status=status.HTTP_400_BAD_REQUEST)
            rows = rows.filter(status=wanted)
        page = self.paginate_queryset(rows)
        selectors.log_api_list(request.user, page, path=request.path)
        return self.get_paginated_response(ConcernOutput(page, many=True).data)

    @extend_schema(request=ConcernInput, responses={201: ConcernOutput, 400: ERRORS_400, 403: ERRORS_403},
                   summary="Raise a concern")
    def post(self, request):
        data = dict(self.validated(ConcernInput))
        person = selectors.person_for_new_concern(user=request.user, person_id=data.pop("person"), path=request.path)
        concern = services.concern_create(by=request.user, person=person, **data)
        return Response(ConcernOutput(concern).data, status=status.HTTP_201_CREATED)


class ConcernView(ApiView):
    @extend_schema(responses={200: ConcernOutput, 403: ERRORS_403, 404: ERRORS_404}, summary="One concern")
    def get(self, request, pk: int):
        concern = selectors.concern_for(user=request.user, concern_id=pk, path=request.path, action=API_READ)
        return Response(ConcernOutput(concern).data)


class DecisionView(ApiView):
    @extend_schema(responses={200: DecisionOutput, 403: ERRORS_403, 404: ERRORS_404}, summary="The decision on a concern")
    def get(self, request, pk: int):
        concern = selectors.concern_for(user=request.user, concern_id=pk, path=request.path, action=API_READ)
        decision = selectors.decision_of(concern)
        if decision is None:
            return Response({"detail": "No decision has been made on this concern yet.", "code": "not_found"},
                            status=status.HTTP_404_NOT_FOUND)
        return Response(DecisionOutput(decision).data)

    @extend_schema(request=DecisionInput, responses={201: DecisionOutput, 400: ERRORS_400, 403: ERRORS_403},
                   summary="Make the section 42 decision")
    def post(self, request, pk: int):
        concern = selectors.concern_for(user=request.user, concern_id=pk, path=request.path, action=API_READ)
        data = dict(self.validated(DecisionInput))
        lead = data.pop("lead_enquirer")
        data["lead_enquirer"] = None
        if lead is not None:
            data["lead_enquirer"] = selectors.safeguarding_staff().filter(pk=lead).first()
            if data["lead_enquirer"] is None:
                return Response({"lead_enquirer": ["Choose a member of the safeguarding team as lead enquirer."]},
                                status=status.HTTP_400_BAD_REQUEST)
        decision = services.decision_record(concern=concern, by=request.user, **data)
        return Response(DecisionOutput(decision).data, status=status.HTTP_201_CREATED)


class EnquiryView(ApiView):
    @extend_schema(responses={200: EnquiryOutput, 403: ERRORS_403, 404: ERRORS_404}, summary="One enquiry")
    def get(self, request, pk: int):
        enquiry = selectors.enquiry_for(user=request.user, enquiry_id=pk, path=request.path, action=API_READ)
        return Response(EnquiryOutput(enquiry).data)


class SacView(ApiView):
    @extend_schema(responses={200: SacOutput, 400: ERRORS_400, 403: ERRORS_403},
                   summary="Safeguarding Adults Collection figures for a financial year")
    def get(self, request):
        raw = request.query_params.get("year") or str(selectors.current_financial_year())
        if not (raw.isdecimal() and 2000 <= int(raw) <= 2100):
            return Response({"year": ["Give the year the financial year starts in, like 2026 for April 2026 to "
                                      "March 2027."]}, status=status.HTTP_400_BAD_REQUEST)
        figures = selectors.sac_figures(user=request.user, year=int(raw))
        return Response(SacOutput({"year": figures.year, "starts": figures.starts, "ends": figures.ends,
                                   "rows": [{"section": s, "value": v, "count": n} for s, v, n in figures.rows()]}).data)
