"""National and local code lists (../shared/domain/GUIDE.md §5). Values are stored exactly as the national
lists spell them, so a statutory return is a query; labels are what staff see.

Code values such as "Service User" may appear here and in exports, never in a template.
"""

from django.db import models


class PrimarySupportReason(models.TextChoices):
    ACCESS_MOBILITY = "Physical Support: Access & mobility only", "Physical support: access and mobility only"
    PERSONAL_CARE = "Physical Support: Personal care support", "Physical support: personal care"
    VISUAL = "Sensory Support: Support for visual impairment", "Sensory support: sight loss"
    HEARING = "Sensory Support: Support for hearing impairment", "Sensory support: hearing loss"
    DUAL_SENSORY = "Sensory Support: Support for dual impairment", "Sensory support: sight and hearing loss"
    MEMORY = "Support with Memory & Cognition", "Memory and cognition (for example dementia)"
    LEARNING_DISABILITY = "Learning Disability Support", "Learning disability"
    MENTAL_HEALTH = "Mental Health Support", "Mental health"
    SUBSTANCE = "Social Support: Substance misuse support", "Social support: drugs or alcohol"
    ASYLUM = "Social Support: Asylum seeker support", "Social support: seeking asylum"
    ISOLATION = "Social Support: Social isolation / other", "Social support: isolation or other"
    CARER = "Social Support: Support to carer", "Support to a carer"
    UNKNOWN = "Unknown", "Not yet known"


class AccommodationStatus(models.TextChoices):
    OWNER = "Owner occupier or shared ownership scheme", "Owner occupier or shared ownership"
    TENANT_SOCIAL = (
        "Tenant (council, housing association, registered social landlord)",
        "Tenant: council or housing association",
    )
    TENANT_PRIVATE = "Tenant - private landlord", "Tenant: private landlord"
    FAMILY_SETTLED = "Settled mainstream housing with family / friends", "Settled, living with family or friends"
    SUPPORTED = (
        "Supported accommodation / supported lodgings / supported group home",
        "Supported accommodation or lodgings",
    )
    SHARED_LIVES = "Shared Lives scheme", "Shared Lives"
    SHELTERED = (
        "Sheltered housing / extra care housing / other sheltered housing",
        "Sheltered or extra care housing",
    )
    TRAVELLER = (
        "Mobile accommodation for Gypsy / Roma and Traveller communities",
        "Mobile home (Gypsy, Roma and Traveller communities)",
    )
    APPROVED_PREMISES = "Approved premises for offenders", "Approved premises"
    ROUGH_SLEEPER = "Rough sleeper / squatting", "Sleeping rough or squatting"
    HOSTEL = "Night shelter / emergency hostel / direct access hostel", "Night shelter or emergency hostel"
    REFUGE = "Refuge", "Refuge"
    TEMPORARY = "Placed in temporary accommodation by the council", "Temporary accommodation from the council"
    SHORT_TERM_GUEST = "Staying with family / friends as a short-term guest", "Short-term guest of family or friends"
    HOSPITAL = "Healthcare residential facility or hospital", "Hospital or healthcare residential facility"
    CARE_HOME = "Registered care home / nursing home", "Care home or nursing home"
    PRISON = "Prison", "Prison"
    UNKNOWN = "Unknown", "Unknown"


SETTLED_ACCOMMODATION = frozenset(
    {
        AccommodationStatus.OWNER,
        AccommodationStatus.TENANT_SOCIAL,
        AccommodationStatus.TENANT_PRIVATE,
        AccommodationStatus.FAMILY_SETTLED,
        AccommodationStatus.SUPPORTED,
        AccommodationStatus.SHARED_LIVES,
        AccommodationStatus.SHELTERED,
        AccommodationStatus.TRAVELLER,
    }
)


class Ethnicity(models.TextChoices):
    """Census 2021 (England) ethnic groups, as used in NHS and social care data."""

    WHITE_BRITISH = "White: English, Welsh, Scottish, Northern Irish or British", "White: British"
    WHITE_IRISH = "White: Irish", "White: Irish"
    WHITE_GYPSY = "White: Gypsy or Irish Traveller", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "White: Roma", "White: Roma"
    WHITE_OTHER = "White: Other White", "White: other White background"
    MIXED_WBC = "Mixed: White and Black Caribbean", "Mixed: White and Black Caribbean"
    MIXED_WBA = "Mixed: White and Black African", "Mixed: White and Black African"
    MIXED_WA = "Mixed: White and Asian", "Mixed: White and Asian"
    MIXED_OTHER = "Mixed: Other Mixed or Multiple", "Mixed: other mixed or multiple background"
    INDIAN = "Asian: Indian", "Asian or Asian British: Indian"
    PAKISTANI = "Asian: Pakistani", "Asian or Asian British: Pakistani"
    BANGLADESHI = "Asian: Bangladeshi", "Asian or Asian British: Bangladeshi"
    CHINESE = "Asian: Chinese", "Asian or Asian British: Chinese"
    ASIAN_OTHER = "Asian: Other Asian", "Asian or Asian British: other Asian background"
    CARIBBEAN = "Black: Caribbean", "Black or Black British: Caribbean"
    AFRICAN = "Black: African", "Black or Black British: African"
    BLACK_OTHER = "Black: Other Black", "Black or Black British: other Black background"
    ARAB = "Other: Arab", "Arab"
    OTHER = "Other: Any other ethnic group", "Any other ethnic group"
    DECLINED = "Not stated", "Prefers not to say"
    NOT_RECORDED = "Not yet recorded", "Not yet recorded"


class Gender(models.TextChoices):
    FEMALE = "Female", "Female"
    MALE = "Male", "Male"
    OTHER = "Other", "Another gender"
    NOT_STATED = "Not stated", "Prefers not to say"
    UNKNOWN = "Unknown", "Not known"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    VISIT = "visit", "Home visit"


class CommunicationNeed(models.TextChoices):
    EASY_READ = "easy_read", "Easy read"
    LARGE_PRINT = "large_print", "Large print"
    BSL = "bsl", "British Sign Language interpreter"
    BRAILLE = "braille", "Braille"
    AUDIO = "audio", "Audio or spoken information"
    HEARING_LOOP = "hearing_loop", "Hearing loop"
    ADVOCATE_PRESENT = "advocate_present", "Advocate or supporter present"
    DEAFBLIND = "deafblind", "Deafblind communicator guide"


class ClientType(models.TextChoices):
    """CLD client type. The first value is a code, never shown to people."""

    PERSON = "Service User", "Person supported in their own right"
    CARER = "Carer", "Carer"
    CARER_BY_ASSOCIATION = "Carer known by association", "Carer known through the person they care for"


class RouteOfAccess(models.TextChoices):
    COMMUNITY = "Community / Other route", "Community or other route"
    HOSPITAL_DISCHARGE = "Discharge from hospital", "Discharge from hospital"
    HOSPITAL_DIVERSION = "Diversion from hospital services", "Diversion from hospital services"
    TRANSITION = "Planned entry (transition)", "Planned entry from children's services"
    SELF_FUNDER = "Self-funder with depleted funds", "Self-funder whose money has run low"
    PRISON = "Prison", "Prison"


class EventOutcome(models.TextChoices):
    """CLD event outcomes (§5.4)."""

    REABLEMENT = "Progress to Reablement/ST-Max", "Reablement or short-term support"
    ASSESSMENT = "Progress to Assessment", "Needs assessment"
    REASSESSMENT = "Progress to Re-assessment / Unplanned Review", "Reassessment or unplanned review"
    SUPPORT_PLANNING = "Progress to Support Planning / Services", "Support planning or services"
    END_OF_LIFE = "Progress to End of Life Care", "End of life care"
    FINANCIAL_ASSESSMENT = "Progress to financial assessment", "Financial assessment"
    HOSPITAL = "Admitted to hospital", "Admitted to hospital"
    SERVICE = "Provision of service", "Service provided"
    NO_CHANGE = "No change in package", "No change to support"
    ENDED_AS_PLANNED = "Service ended as planned", "Service ended as planned"
    NFA_INFO = "NFA - Information & Advice / Signposting only", "Information, advice or signposting only"
    NFA_DECLINED = "NFA - Support declined", "Support declined"
    NFA_SELF_FUNDED = "NFA - Self-funded client (inc. 12wk disregard)", "Self-funding"
    NFA_NHS = "NFA - 100% NHS funded care", "Fully NHS-funded care"
    NFA_MOVED = "NFA - Moved to another LA", "Moved to another council"
    NFA_DECEASED = "NFA - Deceased", "The person died"
    NFA_ENDED_OTHER = "NFA - Support ended - other reason", "Support ended for another reason"
    NFA_NO_SERVICES = "NFA - No services offered - other reason", "No services offered for another reason"
    NFA_OTHER = "NFA - Other", "No further action: other"


REQUEST_OUTCOMES = (
    EventOutcome.REABLEMENT,
    EventOutcome.ASSESSMENT,
    EventOutcome.SUPPORT_PLANNING,
    EventOutcome.END_OF_LIFE,
    EventOutcome.HOSPITAL,
    EventOutcome.NFA_INFO,
    EventOutcome.NFA_DECLINED,
    EventOutcome.NFA_SELF_FUNDED,
    EventOutcome.NFA_NHS,
    EventOutcome.NFA_MOVED,
    EventOutcome.NFA_DECEASED,
    EventOutcome.NFA_NO_SERVICES,
    EventOutcome.NFA_OTHER,
)


class Layer(models.TextChoices):
    """Prevent / Reduce / Delay / Meet (§5.13)."""

    PREVENT = "prevent", "Prevent"
    REDUCE = "reduce", "Reduce"
    DELAY = "delay", "Delay"
    MEET = "meet", "Meet"


class ServiceType(models.TextChoices):
    """CLD service types (§5.5)."""

    LTS_NURSING = "Long Term Support: Nursing Care", "Long-term: care home with nursing"
    LTS_RESIDENTIAL = "Long Term Support: Residential Care", "Long-term: care home"
    LTS_COMMUNITY = "Long Term Support: Community", "Long-term: support in the community"
    LTS_PRISON = "Long Term Support: Prison", "Long-term: care in prison"
    ST_MAX = "Short Term Support: ST-Max", "Short-term: reablement"
    ST_LOW_LEVEL = "Short Term Support: Ongoing Low Level", "Short-term: equipment, telecare, low-level support"
    ST_OTHER = "Short Term Support: Other Short Term", "Short-term: other"
    CARER_DIRECT = "Carer Support: Direct to Carer", "Carer support: to the carer"
    CARER_VIA_CARED_FOR = (
        "Carer Support: Support involving the person cared-for",
        "Carer support: replacement care or respite for the person cared for",
    )


LONG_TERM_SERVICE_TYPES = frozenset(
    {ServiceType.LTS_NURSING, ServiceType.LTS_RESIDENTIAL, ServiceType.LTS_COMMUNITY, ServiceType.LTS_PRISON}
)


class DeliveryMechanism(models.TextChoices):
    """CLD delivery mechanisms (§5.6). Every service line has one; it is never blank."""

    DIRECT_PAYMENT = "Direct Payment", "Direct payment (money to the person or their representative)"
    MANAGED_BUDGET = "CASSR Managed Personal Budget", "Council-managed personal budget"
    COMMISSIONED = "CASSR Commissioned Support", "Council-commissioned support"


class ServiceComponent(models.TextChoices):
    HOME_CARE = "home_care", "Home care"
    DAY_OPPORTUNITIES = "day_opportunities", "Day opportunities"
    SUPPORTED_LIVING = "supported_living", "Supported living"
    CARE_HOME = "care_home", "Care home"
    EQUIPMENT = "equipment", "Equipment or adaptations"
    TELECARE = "telecare", "Technology-enabled care (telecare)"
    PERSONAL_ASSISTANT = "personal_assistant", "Personal assistant"
    SHORT_BREAKS = "short_breaks", "Short breaks (respite)"
    REABLEMENT = "reablement", "Reablement"
    OTHER = "other", "Other"


class ServiceUnit(models.TextChoices):
    HOUR = "hour", "hours"
    VISIT = "visit", "visits"
    DAY = "day", "days"
    NIGHT = "night", "nights"
    WEEK = "week", "weeks"
    ITEM = "item", "items"
