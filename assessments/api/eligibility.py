"""POST /api/v1/rules/eligibility/: the Care Act eligibility test, stateless. Nothing is saved or read.

The field names are a contract other council systems use. The codes and statuses accepted come from the
current eligibility rule set, the same one the assessment form uses.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import models
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import OpenApiExample, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from assessments.engine import eligibility
from carecase.api.base import ApiView
from carecase.api.fields import UNKNOWN_FIELD, CodeField, InputSerializer
from carecase.api.schema import ERRORS_400, ERRORS_403

OUTCOMES_EXAMPLE = '{"nutrition": "unable_without_assistance", "personal_hygiene": "achieved"}'


class EligibilityKind(models.TextChoices):
    ADULT = "adult", "An adult who may need care and support (Eligibility Criteria Regulations, regulation 2)"
    CARER = "carer", "A carer of an adult (Eligibility Criteria Regulations, regulation 3)"


class YesNoField(serializers.BooleanField):
    """true or false, and nothing else: "yes", 1 or "false" as text are refused rather than guessed at."""

    default_error_messages = {"invalid": "Send true or false (without quotes)."}

    def __init__(self, *, kind: str, **kwargs):
        messages = {"required": f"This is needed to decide eligibility for {kind}: send true or false."}
        super().__init__(error_messages=messages, **kwargs)

    def to_internal_value(self, data):
        if data is True or data is False:
            return data
        self.fail("invalid")


class OutcomesField(serializers.Field):
    """The outcomes as {code: status}. Codes and statuses are checked against the current rule set."""

    # Not in default_error_messages: DRF formats those, and the example's braces would break it.
    not_an_object = f"Send the outcomes as an object of outcome code and answer, for example {OUTCOMES_EXAMPLE}."
    default_error_messages = {
        "required": "Send the outcomes, as an object of outcome code and answer. An outcome left out counts as "
        "achieved; send {{}} if every outcome is achieved.",
    }

    def __init__(self, *, kind: str, **kwargs):
        self.kind = kind
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            raise ValidationError([self.not_an_object])
        errors = eligibility.outcome_errors(self.kind, data, eligibility.current_rules())
        if errors:
            raise ValidationError(errors)
        return dict(data)

    def to_representation(self, value):
        return dict(value)


class OutcomesFieldSchema(OpenApiSerializerFieldExtension):
    target_class = OutcomesField

    def map_serializer_field(self, auto_schema, direction):
        rules = eligibility.current_rules()
        kind = rules["kinds"][self.target.kind]
        allowed = list(kind["statuses"])
        meanings = "\n".join(f"* `{code}`: {rules['statuses'][code]['meaning']}" for code in allowed)
        return {
            "type": "object",
            "description": "Each outcome's answer. An outcome left out counts as achieved. Answers:\n" + meanings,
            "properties": {
                o["code"]: {"type": "string", "enum": allowed, "description": f"{o['outcome']} ({_spelt_out(o['reference'])})"}
                for o in kind["outcomes"]
            },
            "additionalProperties": False,
        }


def _spelt_out(reference: str) -> str:
    # The rule file's short form "reg 2(2)(a)"; documentation spells abbreviations out.
    return reference.replace("reg ", "regulation ", 1)


class KindInput(serializers.Serializer):
    kind = CodeField(
        EligibilityKind,
        error_messages={"required": 'Say which eligibility test to apply: "adult" or "carer".'},
    )


class EligibilityInput(InputSerializer):
    # Fields that belong to the other kind of test, with what to say when they are sent anyway.
    other_kind_fields: dict[str, str] = {}

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except ValidationError as exc:
            if isinstance(exc.detail, dict):
                for name, message in self.other_kind_fields.items():
                    if exc.detail.get(name) == [UNKNOWN_FIELD]:
                        exc.detail[name] = [message]
            raise


class AdultEligibilityInput(EligibilityInput):
    kind = CodeField([EligibilityKind.ADULT], name="AdultEligibilityKind")
    impairment_or_illness = YesNoField(
        kind="adults", help_text="The needs arise from, or relate to, a physical or mental impairment or illness."
    )
    significant_impact_on_wellbeing = YesNoField(
        kind="adults", help_text="As a result there is, or is likely to be, a significant impact on wellbeing."
    )
    outcomes = OutcomesField(kind=EligibilityKind.ADULT.value)

    other_kind_fields = {
        name: f"{name} is asked only in a carer's eligibility test (kind \"carer\"), not an adult's. Remove it."
        for name in ("necessary_care", "health_at_risk")
    }


class CarerEligibilityInput(EligibilityInput):
    kind = CodeField([EligibilityKind.CARER], name="CarerEligibilityKind")
    necessary_care = YesNoField(
        kind="carers", help_text="The needs arise because the carer provides necessary care to an adult."
    )
    health_at_risk = YesNoField(
        kind="carers", help_text="The carer's physical or mental health is deteriorating, or is at risk of doing so."
    )
    significant_impact_on_wellbeing = YesNoField(
        kind="carers", help_text="As a result there is, or is likely to be, a significant impact on the carer's wellbeing."
    )
    outcomes = OutcomesField(kind=EligibilityKind.CARER.value)

    other_kind_fields = {
        "impairment_or_illness": "impairment_or_illness is asked only in an adult's eligibility test "
        '(kind "adult"), not a carer\'s. Remove it.'
    }


INPUTS = {EligibilityKind.ADULT.value: AdultEligibilityInput, EligibilityKind.CARER.value: CarerEligibilityInput}


class ConditionOutput(serializers.Serializer):
    code = serializers.CharField(help_text="For adults needs_from_impairment, two_or_more_outcomes, wellbeing_impact; "
                                 "for carers needs_from_caring, health_or_outcomes, wellbeing_impact.")
    met = serializers.BooleanField()
    explanation = serializers.CharField(help_text="Why, in plain English.")


class EligibilityOutput(serializers.Serializer):
    eligible = serializers.BooleanField(help_text="True when every condition is met.")
    conditions = ConditionOutput(many=True, help_text="Each condition of the regulations, in order.")
    unachieved_outcomes = serializers.ListField(
        child=serializers.CharField(), help_text="The outcome codes not achieved, in the rule set's order."
    )
    ruleset_version = serializers.CharField(help_text="The rule set used; keep it with any decision made.")


@extend_schema(tags=["Rules"])
class EligibilityView(ApiView):
    @extend_schema(
        summary="Check Care Act eligibility",
        request=PolymorphicProxySerializer(
            component_name="EligibilityInput",
            serializers=INPUTS,
            resource_type_field_name="kind",
        ),
        responses={200: EligibilityOutput, 400: ERRORS_400, 403: ERRORS_403},
        examples=[
            OpenApiExample(
                "An adult",
                request_only=True,
                value={"kind": "adult", "impairment_or_illness": True, "significant_impact_on_wellbeing": True,
                       "outcomes": {"nutrition": "unable_without_assistance",
                                    "personal_hygiene": "significant_pain_distress_anxiety"}},
            ),
            OpenApiExample(
                "A carer",
                request_only=True,
                value={"kind": "carer", "necessary_care": True, "health_at_risk": False,
                       "significant_impact_on_wellbeing": True, "outcomes": {"recreation": "unable_without_assistance"}},
            ),
        ],
    )
    def post(self, request):
        """The eligibility test of the Care and Support (Eligibility Criteria) Regulations 2015, for an adult
        (regulation 2) or a carer (regulation 3), with a plain-English explanation of each condition. Nothing
        is saved. Whether someone else meets a need today is never an answer: eligibility is decided as though
        nobody were helping. Carers have no "takes_significantly_longer" ground."""
        body = request.data
        if not isinstance(body, Mapping):
            raise ValidationError({"non_field_errors": [
                'Send the answers as a JSON object, for example {"kind": "adult", "impairment_or_illness": true, '
                f'"significant_impact_on_wellbeing": true, "outcomes": {OUTCOMES_EXAMPLE}}}.'
            ]})
        kind = self.validated(KindInput, data={"kind": body["kind"]} if "kind" in body else {})["kind"]
        answers = self.validated(INPUTS[kind])
        try:
            result = eligibility.evaluate(eligibility.EligibilityAnswers(**answers))
        except eligibility.InvalidAnswers as exc:
            # The serializers check everything the engine does; this is a safety net, not a path.
            raise ValidationError(exc.errors) from exc
        return Response(EligibilityOutput(result.to_dict()).data)
