"""The self-review portal: invitation, code and date of birth, the account, saving and coming back, sending,
the duty task for "I do not feel safe", and the staff triage."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal import questions, services
from portal.models import DutyTask, Invitation, PortalAccount, SelfReview, SelfReviewStatus
from reviews.models import Review, ReviewStatus

pytestmark = pytest.mark.django_db
DOB = dt.date(1948, 3, 27)
PASSWORD = "correct horse battery"


@pytest.fixture
def review(active_plan):
    person = active_plan.person
    person.date_of_birth, person.email, person.phone = DOB, "mohan@example.org", "0116 496 0000"
    person.save()
    return Review.objects.get(plan=active_plan)


def all_answers(self_review, **overrides):
    """Answer every page: no change, all fine, unless overridden as {slug: {code: value}}."""
    labels = services.outcome_labels(self_review)
    base = {"your-plan": {"plan_right": "yes"}, "changes": {"changed": "no"}, "health": {"hospital": "no"},
            "carer": {"has_carer": "no"}, "money": {"money_ok": "yes"}, "safe": {"safe": "yes"},
            "anything-else": {"talk": "no"}, "who-helped": {"who": "self"},
            **{f"outcome-{i}": {"working": "yes"} for i in range(1, len(labels) + 1)}}
    for slug, values in overrides.items():
        base[slug] = {**base.get(slug, {}), **values}
    for slug, data in base.items():
        assert services.answers_save(self_review=self_review, slug=slug, data=data) == {}, slug


def start(review, practitioner):
    new = services.invitation_create(review=review, by=practitioner.user)
    return new


def test_an_emailed_invitation_holds_the_link_and_code_and_keeps_only_hashes(review, practitioner,
                                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        new = start(review, practitioner)
    (message,) = mail.outbox
    assert message.to == ["mohan@example.org"] and new.code in message.body
    assert f"/my-review/start/{new.token}/" in message.body
    assert "You do not have to do this online" in message.body
    stored = Invitation.objects.get()
    assert new.token not in stored.token_hash and new.code not in stored.code_hash
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", new.code)


def test_without_an_email_address_the_invitation_is_a_letter(review, practitioner):
    review.person.email = ""
    review.person.save()
    new = start(review, practitioner)
    assert new.invitation.channel == "letter" and mail.outbox == []
    pdf = services.render_invitation_letter(new)
    assert pdf.startswith(b"%PDF")


def test_the_code_and_date_of_birth_must_match_and_five_wrong_tries_lock_it(review, practitioner):
    new = start(review, practitioner)
    for wrong in (dict(code="AAAA-AAAA", date_of_birth=DOB), dict(code=new.code, date_of_birth=dt.date(1950, 1, 1)),
                  dict(code=new.code, date_of_birth=None)):
        with pytest.raises(ValidationError, match="could not match those details"):
            services.invitation_redeem(token=new.token, **wrong)
    assert Invitation.objects.get().failed_attempts == 3  # counted although the call failed
    for _ in range(2):
        with pytest.raises(ValidationError):
            services.invitation_redeem(token=new.token, code="BBBB-BBBB", date_of_birth=DOB)
    with pytest.raises(ValidationError, match="too many times"):
        services.invitation_redeem(token=new.token, code=new.code, date_of_birth=DOB)  # even the right code
    Invitation.objects.update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    assert services.invitation_redeem(token=new.token, code=new.code.lower().replace("-", " "), date_of_birth=DOB)


def test_a_new_invitation_replaces_the_old_one_and_a_used_one_cannot_be_used_again(review, practitioner):
    first, second = start(review, practitioner), start(review, practitioner)
    with pytest.raises(ValidationError, match="expired or has already been used"):
        services.invitation_redeem(token=first.token, code=first.code, date_of_birth=DOB)
    invitation = services.invitation_redeem(token=second.token, code=second.code, date_of_birth=DOB)
    services.account_from_redeemed(invitation_id=invitation.id, token=second.token, password=PASSWORD)
    with pytest.raises(ValidationError, match="expired or has already been used"):
        services.invitation_redeem(token=second.token, code=second.code, date_of_birth=DOB)


def test_an_account_needs_a_password_or_an_email_and_a_weak_password_is_refused(review, practitioner):
    new = start(review, practitioner)
    invitation = services.invitation_redeem(token=new.token, code=new.code, date_of_birth=DOB)
    with pytest.raises(ValidationError, match="Choose a password, or give an email address"):
        services.account_from_redeemed(invitation_id=invitation.id, token=new.token)
    with pytest.raises(ValidationError, match="too short"):
        services.account_from_redeemed(invitation_id=invitation.id, token=new.token, password="short")
    account, self_review = services.account_from_redeemed(invitation_id=invitation.id, token=new.token,
                                                          email="Daughter@Example.org",
                                                          representative_name="Priti Patel")
    assert account.email == "daughter@example.org" and account.is_representative and not account.password_hash
    assert self_review.review == review and self_review.reference.startswith("SR-")


def test_password_sign_in_locks_after_five_failures(review, practitioner):
    new = start(review, practitioner)
    invitation = services.invitation_redeem(token=new.token, code=new.code, date_of_birth=DOB)
    services.account_from_redeemed(invitation_id=invitation.id, token=new.token, email="m@example.org",
                                   password=PASSWORD)
    with pytest.raises(ValidationError, match="email address or password is not right"):
        services.sign_in(email="nobody@example.org", password=PASSWORD)
    for _ in range(5):
        with pytest.raises(ValidationError, match="not right"):
            services.sign_in(email="m@example.org", password="wrong password here")
    with pytest.raises(ValidationError, match="too many times"):
        services.sign_in(email="m@example.org", password=PASSWORD)
    PortalAccount.objects.update(locked_until=None)
    assert services.sign_in(email="M@example.org ", password=PASSWORD)


def test_a_sign_in_link_works_once(review, practitioner):
    new = start(review, practitioner)
    invitation = services.invitation_redeem(token=new.token, code=new.code, date_of_birth=DOB)
    account, _ = services.account_from_redeemed(invitation_id=invitation.id, token=new.token, email="m@example.org")
    mail.outbox.clear()
    services.sign_in_link_send(email="nobody@example.org")
    assert mail.outbox == []  # nothing said either way
    services.sign_in_link_send(email="m@example.org")
    token = re.search(r"/my-review/sign-in/([\w-]+)/", mail.outbox[0].body).group(1)
    assert services.sign_in_with_link(token=token) == account
    with pytest.raises(ValidationError, match="expired or has already been used"):
        services.sign_in_with_link(token=token)


def account_and_self_review(review, practitioner):
    new = start(review, practitioner)
    invitation = services.invitation_redeem(token=new.token, code=new.code, date_of_birth=DOB)
    return services.account_from_redeemed(invitation_id=invitation.id, token=new.token, email="m@example.org",
                                          password=PASSWORD)


def test_sending_needs_every_part_then_waits_for_a_worker(review, practitioner):
    _, self_review = account_and_self_review(review, practitioner)
    with pytest.raises(ValidationError, match="Answer these before you send"):
        services.submit(self_review=self_review)
    errors = services.answers_save(self_review=self_review, slug="changes", data={"changed": "yes"})
    assert errors == {"what_changed": "Answer the question: What has changed?"}
    assert self_review.__class__.objects.get().answers["changes"] == {"changed": "yes", "what_changed": ""}  # kept
    all_answers(self_review)
    sent = services.submit(self_review=self_review)
    review.refresh_from_db()
    assert (review.status, review.route) == (ReviewStatus.AWAITING_TRIAGE, "self_review")
    assert sent.duty_task is None and sent.self_review.status == SelfReviewStatus.SUBMITTED
    with pytest.raises(ValidationError, match="already sent"):
        services.answers_save(self_review=self_review, slug="changes", data={"changed": "no"})


def test_not_feeling_safe_makes_an_urgent_duty_task_today_and_goes_to_the_worker(review, practitioner):
    _, self_review = account_and_self_review(review, practitioner)
    all_answers(self_review, safe={"safe": "no", "safe_more": "My neighbour shouts at me"})
    sent = services.submit(self_review=self_review)
    task = DutyTask.objects.get()
    assert sent.duty_task == task and task.is_urgent and task.due_on == timezone.localdate()
    assert task.team == review.team and "My neighbour shouts at me" in task.reason
    assert sent.routing.route == "worker" and "safety_concern" in sent.routing.rules_fired


def test_a_reported_change_goes_to_a_worker(review, practitioner):
    _, self_review = account_and_self_review(review, practitioner)
    all_answers(self_review, **{"outcome-1": {"working": "partly", "better": "Later calls"}})
    assert services.submit(self_review=self_review).routing.route == "worker"


def test_triage_accepts_a_no_change_self_review_as_the_review(review, practitioner):
    _, self_review = account_and_self_review(review, practitioner)
    all_answers(self_review)
    services.submit(self_review=self_review)
    done = services.triage_accept(self_review=SelfReview.objects.get(), by=practitioner.user)
    assert done.status == ReviewStatus.COMPLETED and done.result == "no_change"
    assert done.next_review_due_on == timezone.localdate().replace(year=timezone.localdate().year + 1)
    assert Review.objects.filter(plan=review.plan, status=ReviewStatus.SCHEDULED).count() == 1
    with pytest.raises(ValidationError, match="already been looked at"):
        services.triage_accept(self_review=SelfReview.objects.get(), by=practitioner.user)


def test_triage_cannot_accept_a_change_and_turns_it_into_a_worker_review(review, practitioner):
    _, self_review = account_and_self_review(review, practitioner)
    all_answers(self_review, changes={"changed": "yes", "what_changed": "Moved in with my son"})
    services.submit(self_review=self_review)
    with pytest.raises(ValidationError, match="a worker needs to do this review"):
        services.triage_accept(self_review=SelfReview.objects.get(), by=practitioner.user)
    with pytest.raises(ValidationError, match="Say what the worker should look at"):
        services.triage_to_worker(self_review=SelfReview.objects.get(), by=practitioner.user, note=" ")
    turned = services.triage_to_worker(self_review=SelfReview.objects.get(), by=practitioner.user,
                                       note="New living arrangements")
    assert (turned.status, turned.route) == (ReviewStatus.IN_PROGRESS, "worker")


def test_routing_facts_from_answers():
    answers = {"changes": {"changed": "no"}, "safe": {"safe": "talk"}, "outcome-2": {"working": "no"}}
    assert questions.routing_facts(answers, 2) == {"self_review_reports_change": True, "safety_concern": False,
                                                   "person_asked_to_talk": True}


def test_the_staff_page_invites_and_triages(client, review, practitioner):
    client.force_login(practitioner.user)
    url = reverse("portal-staff-self-review", args=[review.id])
    assert "Email the invitation to mohan@example.org" in client.get(url).content.decode()
    response = client.post(reverse("portal-staff-invite", args=[review.id]), {"channel": "letter"})
    assert response["Content-Type"] == "application/pdf"
    response = client.post(reverse("portal-staff-invite", args=[review.id]), {"channel": "email"}, follow=True)
    assert "The invitation has been emailed to mohan@example.org" in response.content.decode()
    assert Invitation.objects.filter(withdrawn_at__isnull=True).count() == 1


def test_the_duty_task_is_on_the_teams_duty_worktray_until_done(client, review, practitioner, other_practitioner):
    _, self_review = account_and_self_review(review, practitioner)
    all_answers(self_review, safe={"safe": "no"})
    task = services.submit(self_review=self_review).duty_task
    client.force_login(practitioner.user)
    html = client.get(reverse("waiting-duty")).content.decode()
    assert "Urgent: phone today (1)" in html and "Mohan Patel" in html and "0116 496 0000" in html
    with pytest.raises(ValidationError, match="Only the team"):
        services.duty_task_done(task_id=task.id, by=other_practitioner.user)
    response = client.post(reverse("portal-duty-task-done", args=[task.id]), follow=True)
    assert "The duty task is done" in response.content.decode()
    assert "Urgent: phone today" not in client.get(reverse("waiting-duty")).content.decode()


def test_the_worktray_warns_of_urgent_duty_tasks(client, review, practitioner):
    _, self_review = account_and_self_review(review, practitioner)
    all_answers(self_review, safe={"safe": "no"})
    services.submit(self_review=self_review)
    client.force_login(practitioner.user)
    assert "Urgent duty tasks for your team today (1)" in client.get(reverse("home")).content.decode()
