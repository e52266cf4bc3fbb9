"""The direct payments API: agreements, payments, payment runs, personal assistants and account returns.

Thin, like carecase/api: input serializers check what was sent, selectors read (scoped to the records the
caller may open in full, each read logged as an API read), services write. Errors are 400 with field errors,
403 with a reason, or 404, never 500.
"""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from carecase.api.base import API_READ, ApiView
from carecase.api.fields import (
    CodeField,
    InputSerializer,
    StaffReference,
    YesNoFilter,
    date_field,
    text_field,
)
from carecase.api.schema import ERRORS_400, ERRORS_403, ERRORS_404
from carecase.codes import Ethnicity
from directpayments import selectors, services
from directpayments.models import (
    AccountReturn,
    AccountType,
    AgreementStatus,
    Channel,
    DirectPaymentAgreement,
    Frequency,
    Payment,
    PaymentKind,
    PaymentRun,
    PersonalAssistant,
    RecipientKind,
    ReturnStatus,
    Weekday,
)

MONEY = {"max_digits": 11, "decimal_places": 2, "coerce_to_string": True,
         "error_messages": {"invalid": "Enter an amount in pounds and pence, for example 1250.00.",
                            "max_decimal_places": "Enter an amount in pounds and pence: at most 2 decimal places."}}


def money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(**{**MONEY, **kwargs})


class ListView(ApiView):
    """A list of rows about people: only the page returned is logged, one API read per person."""

    resource = ""

    def logged_page(self, rows, serializer_class):
        rows = self.filter_queryset(rows)
        page = self.paginate_queryset(rows)
        selectors.api_log(self.request.user, [r.agreement.person_id if hasattr(r, "agreement") else r.person_id
                                              for r in page], resource=self.resource, path=self.request.path)
        return self.get_paginated_response(serializer_class(page, many=True).data)


# --- agreements --------------------------------------------------------------------------------------


class PriceOutput(serializers.Serializer):
    effective_from = serializers.DateField()
    effective_to = serializers.DateField(allow_null=True)
    gross_weekly = money()
    contribution_weekly = money()
    net_weekly = money()
    reason = serializers.CharField()


class AgreementOutput(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    plan = serializers.IntegerField(source="plan_id")
    status = CodeField(AgreementStatus)
    recipient_kind = CodeField(RecipientKind)
    recipient_name = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)
    first_payment_on = serializers.DateField(allow_null=True)
    frequency = CodeField(Frequency)
    account_type = CodeField(AccountType)
    payee_reference = serializers.CharField()
    support_service = serializers.CharField()
    prices = PriceOutput(many=True)


class AgreementInput(InputSerializer):
    plan = serializers.IntegerField(min_value=1, help_text="The active support plan with direct payment services")
    starts_on = date_field()
    account_type = CodeField(AccountType)
    recipient_kind = CodeField(RecipientKind, required=False)
    recipient_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    recipient_relationship = serializers.CharField(max_length=100, required=False, allow_blank=True)
    recipient_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    recipient_email = serializers.EmailField(required=False, allow_blank=True)
    recipient_address = serializers.CharField(required=False, allow_blank=True)
    capacity_decided_on = date_field(required=False, allow_null=True)
    capacity_decided_by = serializers.CharField(max_length=200, required=False, allow_blank=True)
    capacity_summary = serializers.CharField(required=False, allow_blank=True)
    frequency = CodeField(Frequency, required=False)
    support_service = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contribution_weekly = money(required=False, allow_null=True, min_value=0)


class AgreementFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=AgreementStatus.choices)
    account_type = django_filters.ChoiceFilter(choices=AccountType.choices)
    person = django_filters.NumberFilter(field_name="person_id")

    class Meta:
        model = DirectPaymentAgreement
        fields = ["status", "account_type", "person"]


@extend_schema(tags=["Direct payments"])
class AgreementsView(ListView):
    filter_backends = [DjangoFilterBackend]
    filterset_class = AgreementFilter
    queryset = DirectPaymentAgreement.objects.none()
    resource = "direct payment agreements"

    @extend_schema(summary="List direct payment agreements of people you may open",
                   responses={200: AgreementOutput(many=True), 400: ERRORS_400})
    def get(self, request):
        rows = selectors.agreements_visible(user=request.user).prefetch_related("prices").order_by("id")
        return self.logged_page(rows, AgreementOutput)

    @extend_schema(summary="Set up a direct payment agreement", request=AgreementInput,
                   responses={201: AgreementOutput, 400: ERRORS_400, 403: ERRORS_403, 404: ERRORS_404})
    def post(self, request):
        data = self.validated(AgreementInput)
        plan = selectors.plan_by_id(user=request.user, plan_id=data.pop("plan"), action=API_READ, path=request.path)
        agreement = services.agreement_set_up(plan=plan, by=request.user, **data)
        return Response(AgreementOutput(agreement).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["Direct payments"])
class AgreementView(ApiView):
    @extend_schema(summary="One direct payment agreement", responses={200: AgreementOutput, 403: ERRORS_403,
                                                                       404: ERRORS_404})
    def get(self, request, pk: int):
        agreement = selectors.agreement_for(user=request.user, agreement_id=pk, action=API_READ, path=request.path)
        return Response(AgreementOutput(agreement).data)


# --- payments and runs -------------------------------------------------------------------------------


class PaymentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    agreement = serializers.IntegerField(source="agreement_id")
    run = serializers.IntegerField(source="run_id", allow_null=True)
    kind = CodeField(PaymentKind)
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)
    due_on = serializers.DateField()
    amount = money()
    reason = serializers.CharField()


class PaymentFilter(django_filters.FilterSet):
    agreement = django_filters.NumberFilter(field_name="agreement_id")
    run = django_filters.NumberFilter(field_name="run_id")
    kind = django_filters.ChoiceFilter(choices=PaymentKind.choices)
    paid = YesNoFilter(field_name="run", lookup_expr="isnull", exclude=True, label="In a run (true) or waiting")
    due_from = django_filters.DateFilter(field_name="due_on", lookup_expr="gte")
    due_to = django_filters.DateFilter(field_name="due_on", lookup_expr="lte")

    class Meta:
        model = Payment
        fields = ["agreement", "run", "kind", "paid", "due_from", "due_to"]


@extend_schema(tags=["Direct payments"])
class PaymentsView(ListView):
    filter_backends = [DjangoFilterBackend]
    filterset_class = PaymentFilter
    queryset = Payment.objects.none()
    resource = "direct payments"

    @extend_schema(summary="List payments of agreements you may open",
                   responses={200: PaymentOutput(many=True), 400: ERRORS_400})
    def get(self, request):
        return self.logged_page(selectors.payments_visible(user=request.user).order_by("-due_on", "-id"),
                                PaymentOutput)


class RunOutput(serializers.Serializer):
    id = serializers.IntegerField()
    run_on = serializers.DateField()
    total = money(max_digits=14)
    payments_count = serializers.IntegerField()
    skipped = serializers.ListField(child=serializers.IntegerField(),
                                    help_text="Suspended agreements left out of the run")
    created_by = StaffReference()
    last_run_at = serializers.DateTimeField(allow_null=True)


class RunInput(InputSerializer):
    run_on = date_field(help_text="Pays every period starting on or before this date not yet paid")

    def validate_run_on(self, value):
        if value > timezone.localdate() + timezone.timedelta(days=31):
            raise serializers.ValidationError("A payment run can be at most 31 days ahead.")
        return value


@extend_schema(tags=["Direct payments"])
class RunsView(ApiView):
    queryset = PaymentRun.objects.none()

    @extend_schema(summary="List payment runs", responses={200: RunOutput(many=True), 403: ERRORS_403})
    def get(self, request):
        return self.paginated(selectors.runs_list(user=request.user), RunOutput)

    @extend_schema(summary="Make (or repeat) the payment run for a date", request=RunInput,
                   responses={201: RunOutput, 400: ERRORS_400, 403: ERRORS_403})
    def post(self, request):
        data = self.validated(RunInput)
        run = services.payment_run(run_on=data["run_on"], by=request.user)
        return Response(RunOutput(run).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["Direct payments"])
class RunView(ApiView):
    @extend_schema(summary="One payment run", responses={200: RunOutput, 403: ERRORS_403, 404: ERRORS_404})
    def get(self, request, pk: int):
        return Response(RunOutput(selectors.run_for(user=request.user, run_id=pk)).data)


# --- personal assistants -------------------------------------------------------------------------------


class AssistantOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()
    preferred_channel = CodeField(Channel)
    area = serializers.CharField()
    dbs_checked_on = serializers.DateField(allow_null=True)
    dbs_renewal_due_on = serializers.DateField(allow_null=True)
    training = serializers.CharField()
    available_days = serializers.ListField(child=CodeField(Weekday, name="AvailableDay"))
    availability = serializers.CharField()
    languages = serializers.ListField(child=serializers.CharField())
    ethnicity = CodeField(Ethnicity, allow_null=True)
    consent_to_contact = serializers.BooleanField()
    is_active = serializers.BooleanField()


class AssistantInput(InputSerializer):
    name = text_field(max_length=200, required_message="Enter the personal assistant's name.")
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    preferred_channel = CodeField(Channel, required=False)
    area = serializers.CharField(max_length=80, required=False, allow_blank=True)
    dbs_checked_on = date_field(required=False, allow_null=True)
    dbs_renewal_due_on = date_field(required=False, allow_null=True)
    training = serializers.CharField(required=False, allow_blank=True)
    available_days = serializers.ListField(child=CodeField(Weekday, name="AvailableDay"), required=False)
    availability = serializers.CharField(max_length=500, required=False, allow_blank=True)
    languages = serializers.ListField(child=serializers.CharField(max_length=60), required=False)
    ethnicity = CodeField(Ethnicity, required=False, allow_blank=True)
    ethnicity_consent = serializers.BooleanField(required=False)
    consent_to_contact = serializers.BooleanField(required=False)


class AssistantFilter(django_filters.FilterSet):
    area = django_filters.CharFilter(field_name="area", lookup_expr="iexact")
    language = django_filters.CharFilter(method="has_language")
    dbs_due_by = django_filters.DateFilter(field_name="dbs_renewal_due_on", lookup_expr="lte")

    class Meta:
        model = PersonalAssistant
        fields = ["area", "language", "dbs_due_by"]

    def has_language(self, queryset, name, value):
        return queryset.filter(languages__contains=[value.strip()])


@extend_schema(tags=["Direct payments"])
class AssistantsView(ApiView):
    filter_backends = [DjangoFilterBackend]
    filterset_class = AssistantFilter
    queryset = PersonalAssistant.objects.none()

    @extend_schema(summary="The personal assistants register (direct payments staff)",
                   responses={200: AssistantOutput(many=True), 400: ERRORS_400, 403: ERRORS_403})
    def get(self, request):
        return self.paginated(selectors.assistants(user=request.user), AssistantOutput)

    @extend_schema(summary="Add a personal assistant", request=AssistantInput,
                   responses={201: AssistantOutput, 400: ERRORS_400, 403: ERRORS_403})
    def post(self, request):
        assistant = services.assistant_add(by=request.user, **self.validated(AssistantInput))
        return Response(AssistantOutput(assistant).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["Direct payments"])
class AssistantView(ApiView):
    @extend_schema(summary="One personal assistant", responses={200: AssistantOutput, 403: ERRORS_403,
                                                                 404: ERRORS_404})
    def get(self, request, pk: int):
        return Response(AssistantOutput(selectors.assistant_for(user=request.user, assistant_id=pk)).data)


# --- account returns -----------------------------------------------------------------------------------


class ReturnOutput(serializers.Serializer):
    id = serializers.IntegerField()
    agreement = serializers.IntegerField(source="agreement_id")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    due_on = serializers.DateField()
    status = CodeField(ReturnStatus)
    opening_balance = money(allow_null=True)
    closing_balance = money(allow_null=True)
    spend = money(allow_null=True)
    evidence_received = serializers.BooleanField()
    received_on = serializers.DateField(allow_null=True)


class ReturnInput(InputSerializer):
    period_start = date_field(help_text="Any day of the quarter the return is for")
    opening_balance = money()
    closing_balance = money()
    spend = money(min_value=0)
    received_on = date_field()
    evidence_received = serializers.BooleanField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class ReturnFilter(django_filters.FilterSet):
    agreement = django_filters.NumberFilter(field_name="agreement_id")
    status = django_filters.ChoiceFilter(choices=ReturnStatus.choices)
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lt")

    class Meta:
        model = AccountReturn
        fields = ["agreement", "status", "due_before"]


@extend_schema(tags=["Direct payments"])
class ReturnsView(ListView):
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReturnFilter
    queryset = AccountReturn.objects.none()
    resource = "direct payment account returns"

    @extend_schema(summary="List account returns of agreements you may open",
                   responses={200: ReturnOutput(many=True), 400: ERRORS_400})
    def get(self, request):
        return self.logged_page(selectors.returns_visible(user=request.user).order_by("-period_start", "-id"),
                                ReturnOutput)


@extend_schema(tags=["Direct payments"])
class AgreementReturnsView(ApiView):
    @extend_schema(summary="Record an account return", request=ReturnInput,
                   responses={201: ReturnOutput, 400: ERRORS_400, 403: ERRORS_403, 404: ERRORS_404})
    def post(self, request, pk: int):
        agreement = selectors.agreement_for(user=request.user, agreement_id=pk, action=API_READ, path=request.path)
        ret = services.return_record(agreement=agreement, by=request.user, **self.validated(ReturnInput))
        return Response(ReturnOutput(ret).data, status=status.HTTP_201_CREATED)
