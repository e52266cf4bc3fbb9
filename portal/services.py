"""Every write in the self-review portal: invitations, redeeming them, portal accounts and signing in, saving
and sending a self-review, the duty task when someone does not feel safe, and the staff triage.

Secrets: tokens are random (secrets.token_urlsafe) and stored as SHA-256 hashes; one-time codes and
passwords are stored with Django's password hashers and checked with them (constant time). Every failure
message is the same whatever was wrong, so nobody can learn which part of a guess was right.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from assessments.engine import review_routing
from carecase.audit.access import require_full_access
from carecase.staff.models import Allocation
from carecase.workdays import is_working_day
from reviews import services as review_services
from reviews.models import Review, ReviewResult, ReviewStatus, Route

from . import questions
from .models import (
    DutyTask,
    DutyTaskStatus,
    Invitation,
    InvitationChannel,
    PortalAccount,
    SelfReview,
    SelfReviewStatus,
    SignInLink,
)

INVITATION_LIFETIME = dt.timedelta(weeks=10)
SIGN_IN_LINK_LIFETIME = dt.timedelta(minutes=30)
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=30)
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read from a letter
NOT_RECOGNISED = ("We could not match those details. Check the code in your letter or email and your date of "
                  "birth, and try again.")
LOCKED = ("You have tried too many times. For your safety, wait 30 minutes and try again, or call us on the "
          "number in your letter.")


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(code: str) -> str:
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else raw


def portal_url(path: str) -> str:
    return settings.PORTAL_URL.rstrip("/") + path


# ---------------------------------------------------------------- invitations


@dataclasses.dataclass(frozen=True)
class NewInvitation:
    invitation: Invitation
    token: str  # only ever in the email or letter; we keep the hash
    code: str


@transaction.atomic
def invitation_create(*, review: Review, by=None, channel: str | None = None, email_after_commit: bool = True
                      ) -> NewInvitation:
    """Invite the person to review their own support. By email when we have an address, otherwise a letter.
    Any earlier invitation for this review that was not used is withdrawn. An email goes once the
    transaction commits, unless the caller sends it itself (`send_invitation_email`, as the exactly-once
    sweep does inside its delivering transaction)."""
    person = review.person
    if by is not None:
        require_full_access(by, person)
    if not review.is_open:
        raise ValidationError("This review has already been completed or cancelled.")
    channel = channel or (InvitationChannel.EMAIL if person.email else InvitationChannel.LETTER)
    if channel == InvitationChannel.EMAIL and not person.email:
        raise ValidationError({"channel": "There is no email address on the record: send a letter instead"})
    if channel == InvitationChannel.LETTER and not (person.address_line_1 and person.postcode):
        raise ValidationError({"channel": "There is no postal address on the record: add one first"})
    now = timezone.now()
    Invitation.objects.filter(review=review, used_at__isnull=True, withdrawn_at__isnull=True).update(withdrawn_at=now)
    token, code = secrets.token_urlsafe(32), _new_code()
    sent_to = person.email if channel == InvitationChannel.EMAIL else ", ".join(
        p for p in (person.address_line_1, person.address_line_2, person.town, person.postcode) if p)
    invitation = Invitation.objects.create(
        review=review, person=person, token_hash=_hash_token(token), code_hash=make_password(code), channel=channel,
        sent_to=sent_to, expires_at=now + INVITATION_LIFETIME, created_by=by)
    new = NewInvitation(invitation, token, code)
    if channel == InvitationChannel.EMAIL and email_after_commit:
        transaction.on_commit(lambda: send_invitation_email(new))
    return new


def invitation_context(new: NewInvitation) -> dict:
    review = new.invitation.review
    return {"person": review.person, "review": review, "code": new.code,
            "link": portal_url(f"/my-review/start/{new.token}/"), "start_url": portal_url("/my-review/start/"),
            "expires_on": timezone.localdate(new.invitation.expires_at), "contact": named_contact(review),
            "service_name": settings.SERVICE_NAME, "council_name": getattr(settings, "COUNCIL_NAME", "")}


def send_invitation_email(new: NewInvitation) -> None:
    context = invitation_context(new)
    message = EmailMultiAlternatives(
        "Review your care and support online", render_to_string("portal/email/invitation.txt", context),
        to=[new.invitation.sent_to], headers={"X-CareCase-Reference": f"self-review-invitation:{new.invitation.id}"})
    message.send()


def render_invitation_letter(new: NewInvitation) -> bytes:
    from assessments.letters import _pdf

    return _pdf("portal/letters/invitation.html", invitation_context(new))


def _find_invitation(token: str) -> Invitation | None:
    return (Invitation.objects.select_for_update().select_related("review", "person")
            .filter(token_hash=_hash_token(token or "")).first())


def invitation_is_usable(token: str) -> bool:
    invitation = Invitation.objects.filter(token_hash=_hash_token(token or "")).first()
    return bool(invitation and invitation.used_at is None and invitation.withdrawn_at is None
                and invitation.expires_at > timezone.now() and invitation.review.is_open)


def invitation_redeem(*, token: str, code: str, date_of_birth: dt.date | None) -> Invitation:
    """Check the one-time code and date of birth against the invitation. Five wrong tries lock it for 30
    minutes. The same message for any mismatch. Not inside the caller's transaction: a wrong try must be
    counted even though the caller fails."""
    now = timezone.now()
    error = None
    with transaction.atomic():
        invitation = _find_invitation(token)
        if invitation is None or invitation.withdrawn_at or invitation.used_at or invitation.expires_at <= now:
            error = ("This link has expired or has already been used. Call us on the number in your letter or "
                     "email and we will send you a new one.")
        elif invitation.locked_until and invitation.locked_until > now:
            error = LOCKED
        elif not (check_password(normalise_code(code), invitation.code_hash) and date_of_birth is not None
                  and invitation.person.date_of_birth == date_of_birth):
            invitation.failed_attempts += 1
            if invitation.failed_attempts >= MAX_FAILURES:
                invitation.failed_attempts, invitation.locked_until = 0, now + LOCKOUT
            invitation.save(update_fields=["failed_attempts", "locked_until"])
            error = NOT_RECOGNISED
        elif not invitation.review.is_open:
            error = "This review has already been completed. Call us if you would like to talk about your support."
        else:
            invitation.failed_attempts = 0
            invitation.save(update_fields=["failed_attempts"])
    if error:
        raise ValidationError(error)
    return invitation


# ---------------------------------------------------------------- accounts and signing in


def _self_review_for(review: Review, account: PortalAccount) -> SelfReview:
    existing = SelfReview.objects.filter(review=review).first()
    if existing is not None:
        if existing.account_id != account.id:
            existing.account = account
            existing.save(update_fields=["account"])
        return existing
    return SelfReview.objects.create(review=review, account=account,
                                     reference=f"SR-{secrets.token_hex(4).upper()}")


def account_from_redeemed(*, invitation_id: int, token: str, email: str = "", password: str = "",
                          representative_name: str = "") -> tuple[PortalAccount, SelfReview]:
    """Make (or renew) the portal account from an invitation whose code and date of birth were matched a
    moment ago (the page keeps the invitation for 30 minutes), and start the self-review. A password, or an
    email address for sign-in links, is needed."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("review", "person").filter(
            pk=invitation_id, token_hash=_hash_token(token)).first()
        if invitation is None or invitation.withdrawn_at or invitation.expires_at <= timezone.now():
            raise ValidationError("This link has expired. Call us on the number in your letter or email and we "
                                  "will send you a new one.")
        return _account_from(invitation, email=email, password=password, representative_name=representative_name)


def _account_from(invitation: Invitation, *, email: str, password: str, representative_name: str):
    if invitation.used_at is not None:
        raise ValidationError("This link has already been used. Sign in instead.")
    email = (email or "").strip().lower()
    errors = {}
    if not password and not email:
        errors["password"] = "Choose a password, or give an email address so we can send you sign-in links"
    if password:
        try:
            validate_password(password)
        except ValidationError as exc:
            errors["password"] = " ".join(exc.messages)
    if email and PortalAccount.objects.filter(email=email).exclude(person=invitation.person).exists():
        errors["email"] = "This email address is already used for someone else's account. Use another."
    if errors:
        raise ValidationError(errors)
    account = PortalAccount.objects.filter(person=invitation.person, email=email).first() if email else None
    if account is None:
        account = PortalAccount(person=invitation.person, email=email)
    account.password_hash = make_password(password) if password else ""
    account.is_representative = bool(representative_name.strip())
    account.representative_name = representative_name.strip()
    account.is_active, account.failed_sign_ins, account.locked_until = True, 0, None
    account.last_sign_in_at = timezone.now()
    account.save()
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    return account, _self_review_for(invitation.review, account)


SIGN_IN_FAILED = "The email address or password is not right. Check them and try again."


def sign_in(*, email: str, password: str) -> PortalAccount:
    """Check an email address and password. Five wrong passwords lock the account for 30 minutes."""
    now = timezone.now()
    with transaction.atomic():
        account = PortalAccount.objects.select_for_update().filter(email=(email or "").strip().lower(),
                                                                   is_active=True).first()
        if account is None or not account.password_hash:
            check_password(password or "", make_password(None))  # the same work whether or not the account exists
            raise ValidationError(SIGN_IN_FAILED)
        if account.locked_until and account.locked_until > now:
            raise ValidationError(LOCKED.replace("in your letter", "in your letter or email"))
        if not check_password(password or "", account.password_hash):
            account.failed_sign_ins += 1
            if account.failed_sign_ins >= MAX_FAILURES:
                account.failed_sign_ins, account.locked_until = 0, now + LOCKOUT
            account.save(update_fields=["failed_sign_ins", "locked_until"])
            failed = True
        else:
            account.failed_sign_ins, account.locked_until, account.last_sign_in_at = 0, None, now
            account.save(update_fields=["failed_sign_ins", "locked_until", "last_sign_in_at"])
            failed = False
    if failed:
        raise ValidationError(SIGN_IN_FAILED)
    return account


def sign_in_link_send(*, email: str) -> None:
    """Email a single-use sign-in link if the address has an account; say nothing either way (so the page
    cannot be used to find out who has an account)."""
    account = PortalAccount.objects.filter(email=(email or "").strip().lower(), is_active=True).first()
    if account is None:
        return
    token = secrets.token_urlsafe(32)
    link = SignInLink.objects.create(account=account, token_hash=_hash_token(token),
                                     expires_at=timezone.now() + SIGN_IN_LINK_LIFETIME)
    context = {"link": portal_url(f"/my-review/sign-in/{token}/"), "minutes": 30,
               "service_name": settings.SERVICE_NAME}
    EmailMultiAlternatives("Your sign-in link", render_to_string("portal/email/sign_in_link.txt", context),
                           to=[account.email], headers={"X-CareCase-Reference": f"sign-in-link:{link.id}"}).send()


@transaction.atomic
def sign_in_with_link(*, token: str) -> PortalAccount:
    link = (SignInLink.objects.select_for_update().select_related("account")
            .filter(token_hash=_hash_token(token or "")).first())
    if link is None or link.used_at or link.expires_at <= timezone.now() or not link.account.is_active:
        raise ValidationError("This sign-in link has expired or has already been used. Ask for a new one.")
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    link.account.last_sign_in_at = link.used_at
    link.account.save(update_fields=["last_sign_in_at"])
    return link.account


# ---------------------------------------------------------------- the self-review


def current_self_review(account: PortalAccount) -> SelfReview | None:
    """The account's self-review for its person's open review (or the latest one sent)."""
    return (SelfReview.objects.select_related("review__plan", "review__team", "review__person")
            .filter(account=account, review__person_id=account.person_id).order_by("-id").first())


def outcome_labels(self_review: SelfReview) -> list[str]:
    return [o.label for o in self_review.review.plan.outcomes.all()]


@transaction.atomic
def answers_save(*, self_review: SelfReview, slug: str, data: dict) -> dict:
    """Save one page's answers. Returns the errors (empty when saved); answers are kept either way so
    nothing typed is lost."""
    self_review = SelfReview.objects.select_for_update().get(pk=self_review.pk)
    if self_review.status != SelfReviewStatus.IN_PROGRESS:
        raise ValidationError("You have already sent this review, so it cannot be changed.")
    page = questions.page_for(slug, outcome_labels(self_review))
    if page is None:
        raise ValidationError("There is no such question.")
    clean, errors = questions.check_page(page, data)
    self_review.answers = {**self_review.answers, slug: clean}
    self_review.save(update_fields=["answers", "updated_at"])
    return errors


@dataclasses.dataclass(frozen=True)
class Submitted:
    self_review: SelfReview
    routing: review_routing.Routing
    duty_task: DutyTask | None


def named_contact(review: Review) -> dict:
    """Who the person can call: their allocated worker, else the team."""
    allocation = (Allocation.objects.filter(person=review.person, ended_at__isnull=True)
                  .select_related("worker__user", "team").first())
    team = (allocation.team if allocation else None) or review.team
    worker = allocation.worker if allocation and allocation.worker else None
    return {"name": worker.full_name if worker else (team.name if team else settings.SERVICE_NAME),
            "phone": (worker.direct_phone if worker and worker.direct_phone else (team.phone if team else "")),
            "team": team.name if team else "", "team_phone": team.phone if team else ""}


@transaction.atomic
def submit(*, self_review: SelfReview) -> Submitted:
    """Send the self-review: every page must be answered. It goes to a worker to look at; a "no" to feeling
    safe makes an urgent task for the team's duty worker today."""
    self_review = SelfReview.objects.select_for_update(of=("self",)).select_related("review__team", "review__person").get(
        pk=self_review.pk)
    if self_review.status != SelfReviewStatus.IN_PROGRESS:
        raise ValidationError("You have already sent this review.")
    labels = outcome_labels(self_review)
    missing = [p.title for p in questions.pages(labels) if not questions.page_done(p, self_review.answers)]
    if missing:
        raise ValidationError("Answer these before you send your review: " + "; ".join(missing))
    review = Review.objects.select_for_update().get(pk=self_review.review_id)
    if not review.is_open:
        raise ValidationError("This review has already been completed.")
    facts = questions.routing_facts(self_review.answers, len(labels))
    routing = review_routing.route({**facts, "stable_low_cost_opted_in": not any(facts.values())})
    now = timezone.now()
    self_review.status, self_review.submitted_at = SelfReviewStatus.SUBMITTED, now
    self_review.save(update_fields=["status", "submitted_at", "updated_at"])
    review.status, review.route = ReviewStatus.AWAITING_TRIAGE, routing.route
    review.route_reasons, review.routing_ruleset_version = list(routing.reasons), routing.ruleset_version
    review.save(update_fields=["status", "route", "route_reasons", "routing_ruleset_version"])
    task = None
    if facts["safety_concern"] and review.team_id:
        safe_more = (self_review.answers.get("safe") or {}).get("safe_more", "")
        task = DutyTask.objects.create(
            team=review.team, person=review.person, self_review=self_review, due_on=timezone.localdate(),
            reason=("Said in their self-review that they do not feel safe. Phone them today."
                    + (f" They wrote: “{safe_more}”" if safe_more else "")))
    return Submitted(self_review, routing, task)


def when_duty_will_call(today: dt.date | None = None) -> str:
    now = timezone.localtime()
    today = today or now.date()
    if is_working_day(today) and now.hour < 16:
        return "today"
    return "on the next working day, or today if the duty team is working"


# ---------------------------------------------------------------- staff triage


@transaction.atomic
def triage_accept(*, self_review: SelfReview, by, next_review_due_on: dt.date | None = None) -> Review:
    """Accept the self-review as the review: no change. Completes the review with the person's answers and
    sets the next review date. Only when the answers report no change and no concern."""
    require_full_access(by, self_review.review.person)
    if self_review.status != SelfReviewStatus.SUBMITTED:
        raise ValidationError("This self-review has already been looked at.")
    review = self_review.review
    if review.route != Route.SELF_REVIEW:
        raise ValidationError("The answers report a change or a concern, so a worker needs to do this review. "
                              "Turn it into a review by a worker.")
    answers = self_review.answers
    plan_outcomes = list(review.plan.outcomes.all())
    outcomes = {o.id: ((answers.get(f"outcome-{i}") or {}).get("working", "yes"),
                       (answers.get(f"outcome-{i}") or {}).get("better", ""))
                for i, o in enumerate(plan_outcomes, start=1)}
    carer = answers.get("carer") or {}
    review_services.review_complete(
        review=review, by=by, outcomes=outcomes, result=ReviewResult.NO_CHANGE,
        what_works="From the person's self-review " + self_review.reference,
        changes=(answers.get("changes") or {}).get("what_changed", ""),
        carer_able_willing=carer.get("carer_able", "") if carer.get("has_carer") == "yes" else "not_applicable",
        next_review_due_on=next_review_due_on)
    self_review.status, self_review.triaged_by, self_review.triaged_at = SelfReviewStatus.ACCEPTED, by, timezone.now()
    self_review.save(update_fields=["status", "triaged_by", "triaged_at", "updated_at"])
    return Review.objects.get(pk=review.pk)


@transaction.atomic
def triage_to_worker(*, self_review: SelfReview, by, note: str) -> Review:
    """Turn the self-review into a review by a worker, who will use the person's answers."""
    require_full_access(by, self_review.review.person)
    if self_review.status != SelfReviewStatus.SUBMITTED:
        raise ValidationError("This self-review has already been looked at.")
    if not (note or "").strip():
        raise ValidationError({"note": "Say what the worker should look at"})
    review = Review.objects.select_for_update().get(pk=self_review.review_id)
    review.status, review.route, review.reviewer = ReviewStatus.IN_PROGRESS, Route.WORKER, by
    review.save(update_fields=["status", "route", "reviewer"])
    self_review.status = SelfReviewStatus.TURNED_INTO_WORKER_REVIEW
    self_review.triaged_by, self_review.triaged_at, self_review.triage_note = by, timezone.now(), note.strip()
    self_review.save(update_fields=["status", "triaged_by", "triaged_at", "triage_note", "updated_at"])
    return review


@transaction.atomic
def duty_task_done(*, task_id: int, by) -> DutyTask:
    """Mark a duty task done: only by a member of the task's team (or a senior manager)."""
    task = DutyTask.objects.select_for_update().select_related("person").get(pk=task_id)
    staff = getattr(by, "staff", None)
    if staff is None or (staff.team_id != task.team_id and staff.role != "senior_manager"):
        raise ValidationError("Only the team this task belongs to can mark it done.")
    require_full_access(by, task.person)
    if task.status == DutyTaskStatus.DONE:
        return task
    task.status, task.done_by, task.done_at = DutyTaskStatus.DONE, by, timezone.now()
    task.save(update_fields=["status", "done_by", "done_at"])
    return task
