"""The self-review's questions, page by page, in plain English (issue 5 §4). Pure data and small helpers:
no database. The outcome pages are made from the person's own plan, one page for each outcome, numbered by
their place in the plan (never by a database id)."""

from __future__ import annotations

from dataclasses import dataclass

YES_NO = [("yes", "Yes"), ("no", "No")]
STILL_WORKING = [("yes", "Yes, it is working"), ("partly", "Partly"), ("no", "No, it is not working")]


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    kind: str  # "choice" or "text"
    choices: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    required: bool = True
    shown_if: tuple[str, str] | None = None  # (question code, answer): only asked after that answer


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    questions: tuple[Question, ...]
    intro: str = ""


def _outcome_page(number: int, label: str) -> Page:
    return Page(
        slug=f"outcome-{number}",
        title=f"“{label}”",
        intro="This is one of the things your support is there to help with.",
        questions=(
            Question("working", "Is this still working for you?", "choice", tuple(STILL_WORKING)),
            Question("better", "What would make it better?", "text", required=False,
                     hint="For example, a different time of day, or help with something else."),
        ),
    )


FIXED_BEFORE = (
    Page("your-plan", "Your plan", (
        Question("plan_right", "Is your plan still right for you?", "choice",
                 (("yes", "Yes"), ("mostly", "Mostly"), ("no", "No"))),
        Question("plan_not_right", "What is not right about it?", "text", required=False),
    ), intro="You can read a summary of your current plan before you answer."),
)

FIXED_AFTER = (
    Page("changes", "What has changed", (
        Question("changed", "Has anything changed since your support was agreed?", "choice", tuple(YES_NO),
                 hint="For example, where you live, who lives with you, or what you can do for yourself."),
        Question("what_changed", "What has changed?", "text", shown_if=("changed", "yes")),
    )),
    Page("health", "Your health and wellbeing", (
        Question("health", "How have your health and wellbeing been?", "text", required=False),
        Question("hospital", "Have you been in hospital since your support was agreed or last looked at?", "choice",
                 tuple(YES_NO)),
    )),
    Page("carer", "Your carer", (
        Question("has_carer", "Does someone help you who is not paid for it, like a family member or friend?",
                 "choice", tuple(YES_NO)),
        Question("carer_able", "Are they still able and willing to help?", "choice",
                 (("yes", "Yes"), ("struggling", "Yes, but they are finding it harder"), ("no", "No")),
                 shown_if=("has_carer", "yes")),
    )),
    Page("money", "Money and any direct payment", (
        Question("money_ok", "Is the money for your care and support working for you?", "choice", tuple(YES_NO),
                 hint="This includes any direct payment and anything you pay towards your support."),
        Question("money_problem", "What is not working?", "text", shown_if=("money_ok", "no")),
    )),
    Page("safe", "Feeling safe", (
        Question("safe", "Do you feel safe?", "choice",
                 (("yes", "Yes"), ("no", "No"), ("talk", "I would rather talk to someone about it"))),
        Question("safe_more", "Would you like to tell us more?", "text", required=False),
    ), intro="At home, when you go out, and with the people who help you."),
    Page("anything-else", "Anything else", (
        Question("anything_else", "Is there anything else you would like to tell us?", "text", required=False),
        Question("talk", "Would you like someone to contact you to talk about your support?", "choice",
                 tuple(YES_NO)),
    )),
    Page("who-helped", "Who filled this in", (
        Question("who", "Who filled in this review?", "choice",
                 (("self", "I did, on my own"), ("helped", "I did, with help"),
                  ("for_me", "Someone filled it in for me"))),
        Question("helper", "Their name and how they know you", "text", shown_if=("who", "helped")),
        Question("helper_for_me", "Their name and how they know you", "text", shown_if=("who", "for_me")),
    )),
)


def pages(outcome_labels: list[str]) -> list[Page]:
    return [*FIXED_BEFORE, *[_outcome_page(i, label) for i, label in enumerate(outcome_labels, start=1)],
            *FIXED_AFTER]


def page_for(slug: str, outcome_labels: list[str]) -> Page | None:
    return next((p for p in pages(outcome_labels) if p.slug == slug), None)


def asked(question: Question, answers: dict) -> bool:
    if question.shown_if is None:
        return True
    code, wanted = question.shown_if
    return answers.get(code) == wanted


def check_page(page: Page, data: dict) -> tuple[dict, dict]:
    """(clean answers for the page, errors by question code), in plain English."""
    clean, errors = {}, {}
    for q in page.questions:
        value = (data.get(q.code) or "").strip()
        if not asked(q, {**data}):
            continue
        if q.kind == "choice":
            allowed = {code for code, _ in q.choices}
            if value and value not in allowed:
                errors[q.code] = "Choose one of the answers"
            elif not value and q.required:
                errors[q.code] = f"Answer the question: {q.text}"
        elif q.kind == "text":
            if len(value) > 3000:
                errors[q.code] = "Keep your answer under 3,000 characters"
            elif not value and q.required:
                errors[q.code] = f"Answer the question: {q.text}"
        clean[q.code] = value
    return clean, errors


def answered(all_pages: list[Page], answers: dict) -> list[dict]:
    """Each page with its questions and the answers in words, for checking answers (the person) and for
    reading them (staff). Questions that did not apply are left out."""
    sections = []
    for page in all_pages:
        page_answers = answers.get(page.slug) or {}
        rows = []
        for q in page.questions:
            if not asked(q, page_answers):
                continue
            value = page_answers.get(q.code, "")
            shown = dict(q.choices).get(value, value) if q.kind == "choice" else value
            rows.append({"question": q.text, "answer": shown or "Not answered"})
        sections.append({"page": page, "title": page.title, "rows": rows})
    return sections


def page_done(page: Page, answers: dict) -> bool:
    page_answers = answers.get(page.slug) or {}
    return bool(page_answers) and not check_page(page, page_answers)[1]


def routing_facts(answers: dict, outcome_count: int) -> dict[str, bool]:
    """What the answers mean for who should look at the review (assessments/engine/review_routing.py)."""
    def a(slug, code):
        return (answers.get(slug) or {}).get(code, "")
    outcome_not_working = any(a(f"outcome-{i}", "working") in ("no", "partly") for i in range(1, outcome_count + 1))
    return {
        "self_review_reports_change": (a("changes", "changed") == "yes" or a("your-plan", "plan_right") == "no"
                                       or outcome_not_working or a("health", "hospital") == "yes"
                                       or a("carer", "carer_able") in ("struggling", "no")
                                       or a("money", "money_ok") == "no"),
        "safety_concern": a("safe", "safe") == "no",
        "person_asked_to_talk": a("anything-else", "talk") == "yes" or a("safe", "safe") == "talk",
    }
