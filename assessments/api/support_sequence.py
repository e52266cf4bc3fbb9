"""POST /api/v1/rules/support-sequence/: the support sequence engine as a stateless endpoint.

Its field names are a contract other council systems use (issue 3, section 3). Nothing is stored and no
person's record is read, so there is nothing to scope or to log; any active member of staff may ask.

Input rules where the contract is silent (see also assessments/engine/support_sequence.py):
- `code`, `existing_support`, `steps` and `formal_support_requested` are required on every outcome;
  `done_differently` may be left out, and `crisis_override` may be left out or null.
- `steps` may leave steps out: a step left out counts as not considered. Unknown step names are refused.
- In a step, `considered` is required and `note` may be left out (blank). `meets` is required when
  `considered` is true, so that formal support is never justified without saying whether a step met the
  outcome; when `considered` is false it may be left out, and is not read.
- `done_differently` has no `meets`. A crisis override needs a `reason`; a blank reason does not count.
- Outcome codes are any non-blank text up to 200 characters (the person's own goals are allowed), each
  used once. True and false must be JSON booleans, and text must be JSON strings.
"""

from __future__ import annotations

from django.db import models
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from assessments.engine import support_sequence
from carecase.api.base import ApiView
from carecase.api.fields import CodeField, InputSerializer
from carecase.api.schema import ERRORS_400, ERRORS_403, ErrorOutput

MAX_OUTCOMES = 50
MAX_CODE = 200
MAX_NOTE = 5000


class SequenceStep(models.TextChoices):
    OWN_STRENGTHS = "own_strengths", "Own strengths"
    TECHNOLOGY_EQUIPMENT = "technology_equipment", "Technology and equipment"
    FAMILY_FRIENDS = "family_friends", "Family, friends and neighbours"
    COMMUNITY_UNIVERSAL = "community_universal", "Community, universal and health services"
    DONE_DIFFERENTLY = "done_differently", "Doing things differently (people with existing support)"


class MeetsOutcome(models.TextChoices):
    FULLY = "fully", "Meets the outcome fully"
    PARTLY = "partly", "Meets the outcome partly"
    NO = "no", "Does not meet the outcome"


class SequenceStatus(models.TextChoices):
    MET_WITHOUT_FORMAL_SUPPORT = "met_without_formal_support", "Met without formal support"
    FORMAL_SUPPORT_JUSTIFIED = "formal_support_justified", "Formal support is justified"
    FORMAL_SUPPORT_NOT_JUSTIFIED = "formal_support_not_justified", "Formal support is not needed: a step meets it fully"
    INCOMPLETE = "incomplete", "The support sequence is not complete"


class SequenceFlag(models.TextChoices):
    CRISIS_OVERRIDE = "crisis_override", "Formal support requested under a crisis override"


# --- strict JSON types: other systems send JSON, so "yes", 1 or 42 are mistakes to report, not to guess --


class JsonBooleanField(serializers.BooleanField):
    default_error_messages = {"invalid": "Send true or false."}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class JsonTextField(serializers.CharField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def boolean(what: str, **kwargs) -> JsonBooleanField:
    return JsonBooleanField(error_messages={"required": f"Say {what}: true or false."}, **kwargs)


def text(required_message: str = "", **kwargs) -> JsonTextField:
    messages = {"invalid": "Send this as text in quotes."}
    if required_message:
        messages.update(required=required_message, blank=required_message)
    messages.update(kwargs.pop("error_messages", {}))
    return JsonTextField(error_messages=messages, **kwargs)


# --- input -----------------------------------------------------------------------------------------------


class SequenceStepInput(InputSerializer):
    considered = boolean("whether this step was considered")
    meets = CodeField(MeetsOutcome, required=False, help_text="Read only when the step is considered.")
    note = text(required=False, allow_blank=True, max_length=MAX_NOTE,
                help_text="What was found. A step counts as considered only with a note that is not blank.")

    def validate(self, attrs):
        if attrs["considered"] and "meets" not in attrs:
            raise serializers.ValidationError(
                {"meets": ["Say whether this step meets the outcome: fully, partly or no."]}
            )
        return attrs


class DoneDifferentlyInput(InputSerializer):
    considered = boolean("whether doing things differently was considered")
    note = text(required=False, allow_blank=True, max_length=MAX_NOTE,
                help_text="What could change. It counts as considered only with a note that is not blank.")


class SequenceStepsInput(InputSerializer):
    """The steps considered so far. A step left out counts as not considered."""

    own_strengths = SequenceStepInput(required=False)
    technology_equipment = SequenceStepInput(required=False)
    family_friends = SequenceStepInput(required=False)
    community_universal = SequenceStepInput(required=False)

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if isinstance(exc.detail, dict):
                allowed = ", ".join(self.fields)
                for key, messages in exc.detail.items():
                    if key not in self.fields and key != "non_field_errors":
                        messages[:] = [f"This is not a step of the support sequence. Use {allowed}; doing things "
                                       "differently is sent as done_differently beside steps."]
            raise


class CrisisOverrideInput(InputSerializer):
    reason = text(
        allow_blank=True,
        max_length=MAX_NOTE,
        error_messages={"required": "Give the reason for the crisis override, or send crisis_override as null."},
        help_text="Why formal support is needed before the sequence is complete. A blank reason does not count.",
    )


class SequenceOutcomeInput(InputSerializer):
    code = text(required_message="Enter the outcome's code, for example nutrition, or the person's own goal.",
                max_length=MAX_CODE)
    existing_support = boolean("whether the person already has support")
    steps = SequenceStepsInput(
        error_messages={"required": "Send steps: the steps considered so far, as an object. Send {{}} if none yet."}
    )
    done_differently = DoneDifferentlyInput(
        required=False,
        help_text="For people with existing support: could anything be done differently? Left out: not considered.",
    )
    formal_support_requested = boolean("whether formal support is requested for this outcome")
    crisis_override = CrisisOverrideInput(required=False, allow_null=True)


class SupportSequenceInput(InputSerializer):
    outcomes = SequenceOutcomeInput(
        many=True, allow_empty=True, max_length=MAX_OUTCOMES,
        error_messages={"required": "Send outcomes: a list of the outcomes to check, which may be empty."},
    )

    def validate_outcomes(self, outcomes):
        # Keyed by position from 0, as DRF reports the other errors in a list.
        first_use: dict[str, int] = {}
        errors: dict[int, dict] = {}
        for index, outcome in enumerate(outcomes):
            if outcome["code"] in first_use:
                errors[index] = {"code": [f"outcomes[{first_use[outcome['code']]}] already has this code. "
                                          "Give each outcome its own code."]}
            else:
                first_use[outcome["code"]] = index
        if errors:
            raise serializers.ValidationError(errors)
        return outcomes


# --- output ----------------------------------------------------------------------------------------------


class SequenceOutcomeOutput(serializers.Serializer):
    code = serializers.CharField()
    status = CodeField(SequenceStatus)
    next_step = CodeField(SequenceStep, allow_null=True, help_text="The first step still to consider.")
    missing = serializers.ListField(child=CodeField(SequenceStep), help_text="Every step still to consider, in order.")
    flags = serializers.ListField(child=CodeField(SequenceFlag))
    explanation = serializers.ListField(child=serializers.CharField(), help_text="The trace, in plain English.")


class SupportSequenceOutput(serializers.Serializer):
    ready_for_approval = serializers.BooleanField()
    outcomes = SequenceOutcomeOutput(many=True)
    ruleset_version = serializers.CharField(help_text="The rule set used. Keep it with the decision.")


@extend_schema(tags=["Rules"])
class SupportSequenceView(ApiView):
    @extend_schema(
        summary="Evaluate the support sequence",
        request=SupportSequenceInput,
        responses={200: SupportSequenceOutput, 400: ERRORS_400, 401: ErrorOutput, 403: ERRORS_403},
    )
    def post(self, request):
        """For each outcome: the steps before formal support still to consider, the next one, and whether
        formal support is justified; and whether the plan is ready for approval. Nothing is stored."""
        data = self.validated(SupportSequenceInput)
        result = support_sequence.evaluate(support_sequence.request_from_dict(data))
        return Response(SupportSequenceOutput(result.to_dict()).data)
