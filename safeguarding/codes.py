"""The Safeguarding Adults Collection (SAC) code lists and Making Safeguarding Personal answers (GUIDE §5.8-5.12).

The stored values are the national values, so the return is a query; the labels are what staff read. Kept here
rather than in carecase/codes.py because only safeguarding uses them.
"""

from __future__ import annotations

from django.db import models


class AbuseType(models.TextChoices):
    """SAC type of abuse or risk (§5.8). A concern can have several."""

    PHYSICAL = "Physical", "Physical"
    SEXUAL = "Sexual", "Sexual"
    PSYCHOLOGICAL = "Psychological", "Psychological"
    FINANCIAL = "Financial or Material", "Financial or material"
    DISCRIMINATORY = "Discriminatory", "Discriminatory"
    ORGANISATIONAL = "Organisational", "Organisational"
    NEGLECT = "Neglect and Acts of Omission", "Neglect and acts of omission"
    DOMESTIC = "Domestic Abuse", "Domestic abuse"
    SEXUAL_EXPLOITATION = "Sexual Exploitation", "Sexual exploitation (counted apart from sexual abuse)"
    MODERN_SLAVERY = "Modern Slavery", "Modern slavery"
    SELF_NEGLECT = "Self-Neglect", "Self-neglect"


class LocationOfRisk(models.TextChoices):
    """SAC location of risk (§5.9). Local places (supported living, extra care) are recorded as one of these."""

    OWN_HOME = "Own Home", "Their own home"
    COMMUNITY = "In the Community (excluding community services)", "In the community (not a community service)"
    COMMUNITY_SERVICE = "In a Community Service", "In a community service"
    CARE_HOME_NURSING = "Care Home - Nursing", "Care home with nursing"
    CARE_HOME_RESIDENTIAL = "Care Home - Residential", "Residential care home"
    HOSPITAL_ACUTE = "Hospital - Acute", "Acute hospital"
    HOSPITAL_MENTAL_HEALTH = "Hospital - Mental Health", "Mental health hospital"
    HOSPITAL_COMMUNITY = "Hospital - Community", "Community hospital"
    OTHER = "Other", "Somewhere else"


class SourceOfRisk(models.TextChoices):
    """SAC source of risk (§5.10)."""

    SERVICE_PROVIDER = "Service Provider", "A care provider or its staff (paid to provide care)"
    KNOWN = "Other - Known to Individual", "Someone the adult knows (relative, partner, friend, neighbour)"
    UNKNOWN = "Other - Unknown to Individual", "A stranger"


class RiskAssessmentOutcome(models.TextChoices):
    """SAC risk assessment outcome of a concluded enquiry (§5.11)."""

    IDENTIFIED_ACTION = "Risk identified and action taken", "Risk identified and action taken"
    IDENTIFIED_NO_ACTION = "Risk identified and no action taken", "Risk identified and no action taken"
    INCONCLUSIVE_ACTION = "Risk assessment inconclusive and action taken", "Risk assessment inconclusive and action taken"
    INCONCLUSIVE_NO_ACTION = ("Risk assessment inconclusive and no action taken",
                              "Risk assessment inconclusive and no action taken")
    NONE_ACTION = "No risk identified and action taken", "No risk identified and action taken"
    NONE_NO_ACTION = "No risk identified and no action taken", "No risk identified and no action taken"
    CEASED = ("Enquiry ceased at individual's request and no action taken",
              "Enquiry stopped at the adult's request and no action taken")


class RiskResult(models.TextChoices):
    """When risk was identified and action taken: what became of the risk (§5.11)."""

    REMAINS = "Risk remains", "Risk remains"
    REDUCED = "Risk reduced", "Risk reduced"
    REMOVED = "Risk removed", "Risk removed"


class OutcomesAsked(models.TextChoices):
    """MSP: was the adult (or their representative) asked about the outcomes they want? (§5.12)"""

    EXPRESSED = "Yes, they were asked and outcomes were expressed", "Yes, and they said what they want"
    NOT_EXPRESSED = "Yes, they were asked but no outcomes were expressed", "Yes, but they did not say what they want"
    NO = "No", "No"
    DONT_KNOW = "Don't know", "Not known"
    NOT_RECORDED = "Not recorded", "Not recorded"


class OutcomesAchieved(models.TextChoices):
    """MSP: were the outcomes they wanted achieved? (§5.12)"""

    FULLY = "Fully achieved", "Fully achieved"
    PARTIALLY = "Partially achieved", "Partially achieved"
    NOT = "Not achieved", "Not achieved"


class Capacity(models.TextChoices):
    """Does the adult have mental capacity to make decisions about the safeguarding concern?"""

    HAS = "has_capacity", "Yes, they have capacity for this decision"
    LACKS = "lacks_capacity", "No, they lack capacity for this decision"
    NOT_KNOWN = "not_known", "Not yet known"


class AdvocacySupport(models.TextChoices):
    """MSP: if the adult lacked capacity, were they supported by an advocate, family member or friend? (§5.12)"""

    YES = "Yes", "Yes"
    NO = "No", "No"
    DONT_KNOW = "Don't know", "Not known"
    NOT_RECORDED = "Not recorded", "Not recorded"
