"""Wording for synthetic contacts and case notes.

Contacts are written as the caller put it. Case notes follow strengths-based practice: they start from
what matters to the person and what they, their family and their community already do, record the
person's own words, and end with who will do what. Placeholders:

{first} the name the person goes by       {full} their full name
{they} {them} {their} {They} {Their}      pronouns ("they" when gender is not known)
{is} {has} {does} {s}                     verbs that agree with the pronoun ("is" / "are", "wants" / "want")
{carer} "her daughter Susan" or "his friend Joan"; {Carer} "Her daughter Susan"; {carer_first} "Susan"
{interest} something that matters to them {worship} their place of worship, or "the community centre"
{worship_group} a group there             {gp} a GP practice     {ward} a hospital ward     {home} a care home
{area} their neighbourhood                {relative} "Mum" / "My husband" (for calls from family)
{relative_mid} the same mid-sentence      {cared_for} on a carer's own record: "husband", "mum"
{language_phrase} " with staff who speak Gujarati" when their first language is not English, else nothing
"""

from __future__ import annotations

# Contact reasons by theme: (who made contact, channel, wording).
CONTACT_REASONS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "falls": (
        ("family", "phone", "{relative} has fallen twice this month and is now frightened of the stairs. "
         "{They} {is} determined to stay at home; we want to know what could help."),
        ("person", "phone", "I keep losing my balance in the kitchen and I'm worried I'll fall when nobody is "
         "here. I want to stay in my own home."),
        ("professional", "email", "{full} has had three falls since the spring. Seen at {gp}. Lives alone and "
         "would value an assessment of support at home."),
    ),
    "hospital_discharge": (
        ("hospital", "phone", "Medically fit for discharge from {ward} after a fall at home. Needs help with "
         "washing and dressing for a few weeks to get back on {their} feet. {They} {is} keen to go home."),
        ("hospital", "email", "Discharge referral from {ward}: admitted with a chest infection, now weaker on "
         "{their} legs. Home first with reablement is {their} wish and the ward agrees."),
    ),
    "memory": (
        ("family", "phone", "{relative} is getting muddled with {their} tablets and has left the cooker on "
         "twice. {They} {does} not want to move and we want to help {them} stay at home safely."),
        ("professional", "email", "Recent diagnosis of Alzheimer's disease. {full} and family would like "
         "information about support and a carer's assessment for the family."),
    ),
    "carer_stress": (
        ("family", "phone", "I look after {relative_mid} day and night and I have not had a proper break for over "
         "a year. I love caring for {them} but I am exhausted and need some help."),
        ("family", "phone", "I do everything for {relative_mid} since the stroke. My own health is not good "
         "and I need to know what would happen if I was ill."),
    ),
    "information": (
        ("person", "phone", "Asking what help there is locally: I have been lonely since my husband died and "
         "would like to meet people."),
        ("family", "online", "Asking about paying for a care home and how the council works out what people "
         "pay."),
        ("person", "online", "Would like information about lunch clubs and day centres{language_phrase}."),
        ("person", "phone", "Asking about a blue badge and help with the garden."),
        ("family", "email", "Looking for information about lasting power of attorney for {relative_mid}."),
        ("professional", "email", "Request for information about community activities for {full}, who is "
         "isolated after moving to {area}."),
    ),
    "equipment": (
        ("person", "phone", "I can't get in and out of the bath any more. Is there anything like a bath lift "
         "or a seat that could help?"),
        ("family", "online", "{relative} needs a second rail by the front door steps and a raised toilet seat."),
        ("professional", "email", "Request for an occupational therapy assessment: struggling with stairs "
         "and the bath; wants to keep washing independently."),
    ),
    "mental_health": (
        ("person", "phone", "I've been feeling low and I'm not leaving the flat. I used to go to the "
         "allotment and I want to get back to doing things and seeing people."),
        ("professional", "email", "Referral from the community mental health team: {full} would benefit from "
         "support to rebuild routines and social contact."),
    ),
    "transition": (
        ("professional", "email", "Planned move from children's services: {full} turns 18 in the summer. "
         "The family want to plan for college and support at home."),
    ),
    "provider": (
        ("provider", "phone", "The home care provider says {first}'s needs have grown: two carers are now "
         "needed for every transfer and the morning call runs over."),
    ),
    "police": (
        ("police", "phone", "Police welfare check: {full} was found confused in the street late at night and "
         "was taken home safely. Officers are worried about {them} living alone."),
    ),
    "self_funder": (
        ("family", "phone", "{relative} has paid for {their} own care at home for two years and {their} "
         "savings are nearly down to the limit. We need to know what happens next."),
    ),
    "safeguarding": (
        ("other", "phone", "A neighbour is worried someone is taking {first}'s money: there is no food in "
         "the house and {they} seemed frightened."),
        ("provider", "email", "Care staff noticed bruising on {first}'s arms that {they} could not explain."),
    ),
    "carer_own": (
        ("person", "phone", "I care for my {cared_for} and would like a carer's assessment: I need some time "
         "for myself and help planning for emergencies."),
        ("person", "online", "Asking about carers' breaks and the carers' support service."),
    ),
}

# Case notes: (kind, summary, body, significant). Bodies are formatted with the placeholders above.
NOTES_LONG_TERM = (
    ("visit", "Home visit: what matters to {first}",
     "Visited {first} at home with {carer}. {They} told me what matters most is {interest}. {They} {is} "
     "managing {their} own tablets with a blister pack and {carer_first} helps with shopping. We talked about "
     "what has become harder: the stairs and getting in and out of the bath. {first} would like to try a rail "
     "and a bath board before anything else. Next steps: I will ask the occupational therapy team to visit and "
     "will phone {them} by Friday.", False),
    ("visit", "Review visit: support is working",
     "Visited {first} with {carer}. The morning and evening calls are working well: {first} said the carers "
     "are kind and mostly on time. {They} {has} started going back to {worship} on Sundays, which {they} "
     "said has made a real difference. No change to support needed. Next review in twelve months, or sooner "
     "if anything changes.", False),
    ("phone", "Phone call with {carer_first}",
     "{carer_first} phoned to say things are going well. {first} has been eating better since the lunchtime "
     "call moved to 12:30. {carer_first} asked about a carer's break in the summer; I explained the carers' "
     "support service and sent the leaflet.", False),
    ("email", "Email to the home care provider about call times",
     "Emailed the provider to ask whether the Tuesday lunchtime call can move earlier so {first} can get to "
     "{interest}. The provider agreed from next Monday. Let {first} know by phone.", False),
    ("meeting", "Support planning meeting",
     "Met {first} and {carer} to plan support. {first} wants to keep {interest} and to stay in {their} own "
     "home in {area}. Agreed: {carer_first} continues with shopping and Sunday visits, a community group "
     "offers transport on Wednesdays, and paid care covers morning washing and dressing. {first} chose to "
     "receive the budget as a direct payment.", False),
    ("phone", "Keep-in-touch call",
     "Called {first} for a catch-up. {They} said {they} {is} doing well and enjoyed the trip out with "
     "{worship_group}. No concerns raised. Reminded {them} of the team's number.", False),
    ("other", "Letter sent in {their} preferred format",
     "Sent a letter confirming the plan, in the format {first} asked for, naming me as the contact with my "
     "direct number and the team's opening hours.", False),
    ("visit", "Joint visit with the occupational therapist",
     "Joint visit with the occupational therapist. {first} showed us how {they} get{s} up from the chair and "
     "into bed. A perching stool and a second banister rail should let {them} keep washing independently. "
     "Equipment ordered; fitting expected within two weeks.", False),
    ("phone", "Admitted to hospital after a fall",
     "{carer_first} phoned: {first} fell at home last night and was taken to {ward}. No fracture found. "
     "Home care paused. I will speak to the ward discharge team about what support {first} needs to go home "
     "safely.", True),
    ("meeting", "Best interests meeting about where {first} lives",
     "Best interests meeting with {carer}, the GP and the home care manager. {first} was supported to take "
     "part and said {they} want{s} to stay near {worship}. Everyone agreed that more support at home, "
     "including a night sitting service, is the least restrictive option to try first.", True),
    ("phone", "Safeguarding concern raised with the hub",
     "{first} told me money has been going missing from {their} home after visits from an acquaintance. "
     "{They} want{s} it to stop but {does} not want the police involved for now. Concern raised with the "
     "safeguarding hub today with {first}'s agreement; agreed a safety plan with {first} and {carer_first}.",
     True),
)

NOTES_OVERSIGHT = (
    ("oversight", "Management oversight",
     "Case discussed in supervision. The plan is proportionate and builds on what {first} and {their} family "
     "can do. Risks are understood and have been talked through with {first}. Action: review in three months, "
     "or sooner if {carer_first}'s situation changes.", False),
    ("oversight", "Management oversight: allocation",
     "Reviewed the allocation. The worker has good knowledge of {first}'s situation and of {area}. No change "
     "needed. Direct payment monitoring is up to date.", False),
)

NOTES_CARE_HOME = (
    ("visit", "Visit at {home}",
     "Visited {first} at {home}. Staff say {they} {is} settled and enjoy{s} {interest}. {first} told me "
     "{they} like{s} {their} room and the garden. {Carer} visits twice a week. No change to support needed.",
     False),
    ("visit", "Moved into {home}",
     "{first} moved into {home} today after a period of respite. {They} chose this home because it is close "
     "to {carer_first} and to {worship}. I will visit in four weeks to see how {they} {is} settling.", True),
)

NOTES_SHORT_TERM = (
    ("meeting", "Discharge planning meeting on the ward",
     "Discharge planning meeting at {ward} with {first}, {carer}, the ward nurse and the physiotherapist. "
     "{first} wants to go home. Agreed: home first with reablement four times a day for up to six weeks, and a "
     "key safe fitted before discharge.", False),
    ("visit", "Reablement review",
     "Visited {first} with the reablement support worker. {They} {is} now washing independently with a "
     "perching stool and making {their} own breakfast. Reducing to two calls a day from Monday.", False),
    ("phone", "Reablement ending: no ongoing support needed",
     "Spoke to {first}: reablement ends this week. {They} {is} back to {interest} and {does} not need ongoing "
     "support. Gave the team's number and information about community activities in {area}.", False),
    ("phone", "Call from the ward",
     "The ward rang to say {first} is medically fit for discharge. {Carer} will be at home on the day.",
     False),
)

NOTES_WAITING = (
    ("phone", "Keep-in-touch call while waiting for an assessment",
     "Called {first} to check in while {they} wait{s} for an assessment. Nothing has changed since the "
     "contact; {they} said {they} {is} managing with help from {carer}. Explained what to do if things get "
     "worse and gave the team's number. Next call in six weeks.", False),
    ("phone", "Keep-in-touch call: things have changed",
     "Called {first}. {They} had a fall last week and {is} finding the stairs harder. Passed back to the team "
     "leader to look again at {their} place on the waiting list.", True),
    ("other", "Letter sent while waiting",
     "Sent a letter explaining that {first} is waiting for an assessment, how long it may take, what to do in "
     "an emergency and who to call, with the team's number and opening hours.", False),
)

NOTES_CONTACT = (
    ("phone", "Front door call: information and advice",
     "Spoke to {first}. Talked about what {they} can do and what is nearby in {area}: the lunch club, "
     "{worship} and the community transport scheme. Sent the details by post. No further action needed; "
     "{first} knows how to get back in touch.", False),
    ("phone", "Front door call: equipment",
     "Spoke to {first} about the bath. Ordered a bath board and a long-handled sponge from the equipment "
     "service, delivered next week.", False),
)

NOTES_CARER = (
    ("meeting", "Carer's conversation",
     "Met {first} to talk about {their} own wellbeing as a carer. {They} said caring is important to "
     "{them} but {they} need{s} a regular break and an emergency plan. Referred to the carers' support "
     "service and booked a carer's assessment.", False),
)

ADDENDA = (
    "Addendum: the date of the visit above was the Tuesday, not the Monday. Everything else stands.",
    "Addendum: {carer_first} has since confirmed the plan by phone and is happy with it.",
    "Addendum: equipment delivered and fitted; {first} says it is working well.",
)

RELATIONSHIP_NOTES = {
    "attorney_health": "Lasting power of attorney for health and welfare, registered with the Office of the "
    "Public Guardian. Copy seen and kept on file.",
    "attorney_money": "Lasting power of attorney for property and financial affairs. Copy seen and kept on "
    "file.",
    "deputy": "Appointed deputy for property and affairs by the Court of Protection. Order seen.",
    "advocate": "Independent advocate from a local advocacy service, instructed under the Care Act.",
    "nominated": "Nominated person for the direct payment: manages the account and the personal assistant's "
    "pay with {first}'s agreement.",
}

# --- Care and support plans and reviews (plans.py) ---------------------------------------------------------
# Placeholders as for the case notes. Outcomes are in the person's words; the eligibility descriptions and
# support-sequence notes are the worker's.

# What matters, in the person's own words, by kind of need.
WHAT_MATTERS = {
    "older": (
        "I want to stay in my own home, near {worship}, for as long as I can.",
        "Being clean and dressed before {carer_first} comes round, so I still feel like me.",
        "Not being a burden on my family, and still getting out to {interest}.",
    ),
    "learning_disability": (
        "Having my own place and choosing what I do each day.",
        "Going to my day centre and seeing my friends there, and cooking my own tea.",
    ),
    "mental_health": (
        "Keeping well, keeping my flat, and not ending up back in hospital.",
        "Getting out of the house and having something to do with my week.",
    ),
    "care_home": (
        "Feeling safe, being comfortable, and seeing my family often.",
        "People who know me and know how I like things done.",
    ),
    "working_age": (
        "Staying independent at home and keeping my job going as long as I can.",
        "Getting up and out in the morning without waiting all day for help.",
    ),
}
STRENGTHS = (
    "Knows exactly how {they} like{s} things done and says so; manages {their} own tablets with a blister pack.",
    "Good humour and a strong bond with {carer}; keeps in touch with friends by phone.",
    "Determined to do as much as {they} can; uses the perching stool and rails well.",
)

# The eligibility outcomes each plan outcome stands for, with how the person is unable to achieve them.
# (eligibility outcome code, status, the worker's description)
UNACHIEVED = {
    "personal_hygiene": ("unable_without_assistance",
                         "Cannot get in or out of the bath or shower without hands-on help; strip-washes at the "
                         "sink on good days only."),
    "being_clothed": ("takes_significantly_longer",
                      "Dressing takes well over an hour because of stiffness in both hands and shoulders."),
    "nutrition": ("endangers_health_safety",
                  "Cannot stand long enough to cook safely; has left the cooker on twice this year."),
    "toilet_needs": ("significant_pain_distress_anxiety",
                     "Getting to the toilet at night is painful and frightening; two falls on the way."),
    "using_home_safely": ("endangers_health_safety",
                          "Unsteady on the stairs and between rooms; three falls in the last six months."),
    "habitable_home": ("unable_without_assistance",
                       "Cannot keep the home clean or manage the heating and bills without prompting."),
    "relationships": ("significant_pain_distress_anxiety",
                      "Very anxious about going out alone, so rarely sees friends or family now."),
    "community_services": ("unable_without_assistance",
                           "Cannot use buses or shops without someone with them to plan and prompt."),
    "work_education_volunteering": ("unable_without_assistance",
                                    "Needs support to get to and take part in day activities or college."),
}

# Plan outcomes by kind of need: (outcome in the person's words, eligibility outcome code).
PLAN_OUTCOMES = {
    "older": (
        ("Getting washed and dressed every morning", "personal_hygiene"),
        ("A hot meal and a drink at lunchtime and teatime", "nutrition"),
        ("Getting to the toilet safely, day and night", "toilet_needs"),
        ("Moving around my home without falling", "using_home_safely"),
        ("Getting dressed in my own clothes, the way I like", "being_clothed"),
    ),
    "learning_disability": (
        ("Living in my own flat with the right support", "habitable_home"),
        ("Going to my day centre or college during the week", "work_education_volunteering"),
        ("Cooking my own tea with some help", "nutrition"),
        ("Getting into town and on the bus", "community_services"),
    ),
    "mental_health": (
        ("Keeping my flat warm, clean and the bills paid", "habitable_home"),
        ("Getting out of the house and meeting people", "relationships"),
        ("Eating properly most days", "nutrition"),
        ("Doing something useful with my week", "work_education_volunteering"),
    ),
    "care_home": (
        ("Being safe and cared for day and night", "using_home_safely"),
        ("Help with washing, dressing and the toilet", "personal_hygiene"),
        ("Eating well and drinking enough", "nutrition"),
    ),
    "working_age": (
        ("Getting up, washed and dressed in the morning", "personal_hygiene"),
        ("Getting to the toilet safely", "toilet_needs"),
        ("Meals I can manage to eat", "nutrition"),
        ("Getting out to the shops and seeing friends", "community_services"),
    ),
}
# An outcome met without formal support (support sequence step 2 or 3): (outcome, code, step, how it is met).
MET_WITHOUT_FORMAL = (
    ("Keeping in touch with my family", "relationships", "family_friends",
     "{Carer} visits on Sundays and phones every evening."),
    ("Getting my shopping in", "community_services", "family_friends",
     "{Carer} does the weekly shop on Saturdays."),
    ("Knowing someone will come if I fall", "using_home_safely", "technology_equipment",
     "A pendant alarm and a falls sensor linked to the community alarm service."),
    ("Getting in and out of bed", "using_home_safely", "technology_equipment",
     "A bed lever and a riser recliner chair from the equipment service."),
)

# Support sequence notes for each step when it does not meet the outcome on its own.
SEQUENCE_NOTES = {
    "own_strengths": "Can manage part of this on good days, but not safely every day.",
    "technology_equipment": "Rails, a perching stool and a pendant alarm are in place; the occupational "
                            "therapist found nothing more that would do it alone.",
    "family_friends": "Family help at weekends but work full time and cannot be there every day.",
    "community_universal": "Looked at the lunch club, community meals and the voluntary sector befriending "
                           "scheme; none of them covers this.",
}
CRISIS_REASON = "Came home from hospital with nobody able to help; care started the same day to keep {them} safe."

# How an outcome is met by each kind of service.
HOW_MET = {
    "home_care": "{visits} a day from {provider}: help with washing, dressing, meals and medication.",
    "home_care_double": "{visits} a day from {provider}, two carers at each visit with the hoist.",
    "personal_assistant": "A personal assistant {first} employs with the direct payment, {hours} hours a week.",
    "supported_living": "Support staff at the supported living scheme, {hours} hours a week.",
    "day_opportunities": "{days} at a day service that {first} chose.",
    "care_home": "Living at {home}, with staff there day and night.",
    "telecare": "A community alarm with a falls sensor, answered day and night.",
}
HOME_CARE_PROVIDERS = (
    "Highfields Home Care", "Belgrave Care at Home", "Soar Valley Homecare", "Abbey Park Care Services",
    "Knighton Community Care", "Evington Home Support", "Braunstone Care Partnership", "Westcotes Homecare",
)
DAY_SERVICES = ("Hastings Road Day Centre", "Belgrave Neighbourhood Centre", "Aylestone Community Hub")

# Completed reviews: (what works, what does not, changes).
REVIEW_TEXTS = {
    "no_change": (
        ("The morning calls are on time and the carers are kind; {first} said {they} feel{s} safe at home.",
         "Nothing {they} would change.", "No change in needs or health since the last review."),
        ("{first} enjoys the day service and the staff know {them} well.",
         "Transport is sometimes late.", "No change since the last review."),
    ),
    "plan_changed": (
        ("{first} likes the carers and the routine.",
         "The lunchtime call comes too early to be useful.",
         "Harder to stand for long since a fall in the spring; the teatime call is now longer."),
        ("The direct payment is working; {first} employs the same personal assistant as last year.",
         "Needs a little more help in the evenings.", "{Carer} is finding the evenings harder."),
    ),
}
