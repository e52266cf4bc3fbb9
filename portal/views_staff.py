"""Staff pages for self-reviews: send an invitation (email, or a letter to print) and look at a submitted
self-review: accept it as the review, or turn it into a review by a worker. Staff realm: signed-in staff,
the person's access checked and logged by the reviews selectors."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from carecase.audit.access import staff_member
from carecase.audit.models import AccessAction
from carecase.people.selectors import people_listing
from carecase.web.decorators import person_page, staff_required
from carecase.web.forms import GovukDateField, GovukForm
from carecase.web.views import _apply_errors, _person_context
from reviews import selectors as review_selectors
from reviews.models import Review

from . import invites, questions, services
from .models import DutyTask, SelfReview, SelfReviewStatus


class AcceptForm(GovukForm):
    next_review_due_on = GovukDateField(label="Next review due by", required=False,
                                        help_text="Leave blank for 12 months from today.")


class ToWorkerForm(GovukForm):
    note = forms.CharField(label="What should the worker look at?", widget=forms.Textarea(attrs={"rows": 3}))


def _review(request, review_id: int, action: str = AccessAction.VIEW) -> Review:
    try:
        return review_selectors.review_for(user=request.user, review_id=review_id, path=request.path, action=action)
    except Review.DoesNotExist:
        raise Http404("No review with that number") from None


@person_page
def self_review_page(request, review_id: int, accept=None, to_worker=None):
    review = _review(request, review_id)
    self_review = SelfReview.objects.filter(review=review).select_related("account").first()
    invitations = list(review.invitations.all()[:5])
    return render(request, "portal/staff/self_review.html", {
        **_person_context(request, review.person, "reviews"),
        "review": review, "self_review": self_review, "invitations": invitations,
        "sections": (questions.answered(questions.pages(services.outcome_labels(self_review)), self_review.answers)
                     if self_review else []),
        "accept_form": accept or AcceptForm(), "worker_form": to_worker or ToWorkerForm(),
        "form": accept if accept is not None and accept.errors else to_worker,
        "can_accept": bool(self_review and self_review.status == SelfReviewStatus.SUBMITTED
                           and review.route == "self_review"),
    })


@require_POST
@person_page
def invite(request, review_id: int):
    review = _review(request, review_id)
    channel = request.POST.get("channel") or None
    try:
        new = services.invitation_create(review=review, by=request.user, channel=channel)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("portal-staff-self-review", review.id)
    if new.invitation.channel == "letter":
        pdf = services.render_invitation_letter(new)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="self-review-invitation-{review.person_id}.pdf"'
        return response
    messages.success(request, f"The invitation has been emailed to {new.invitation.sent_to}. It works until "
                              f"{timezone.localdate(new.invitation.expires_at):%-d %B %Y}.")
    return redirect("portal-staff-self-review", review.id)


@require_POST
@person_page
def accept(request, review_id: int):
    review = _review(request, review_id)
    self_review = SelfReview.objects.filter(review=review).first()
    if self_review is None:
        raise Http404("No self-review for this review")
    form = AcceptForm(request.POST)
    if form.is_valid():
        try:
            services.triage_accept(self_review=self_review, by=request.user,
                                   next_review_due_on=form.cleaned_data["next_review_due_on"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            review.refresh_from_db()
            messages.success(request, f"The self-review has been accepted as the review. The next review is due by "
                                      f"{review.next_review_due_on:%-d %B %Y}.")
            return redirect("portal-staff-self-review", review.id)
    return self_review_page(request, review_id, accept=form)


@require_POST
@person_page
def to_worker(request, review_id: int):
    review = _review(request, review_id)
    self_review = SelfReview.objects.filter(review=review).first()
    if self_review is None:
        raise Http404("No self-review for this review")
    form = ToWorkerForm(request.POST)
    if form.is_valid():
        try:
            services.triage_to_worker(self_review=self_review, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "This is now a review by a worker, who will use the person's answers.")
            return redirect("portal-staff-self-review", review.id)
    return self_review_page(request, review_id, to_worker=form)


@require_POST
@staff_required
def duty_task_done(request, task_id: int):
    try:
        services.duty_task_done(task_id=task_id, by=request.user)
    except DutyTask.DoesNotExist:
        raise Http404("No duty task with that number") from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The duty task is done. Record what happened as a case note.")
    return redirect("waiting-duty")


@staff_required
def letters_to_print(request):
    """The team's self-review invitation letters waiting to be printed and posted."""
    staff = staff_member(request.user)
    if staff.team is None:
        raise PermissionDenied("Letters are printed by a team, and your account is not in one.")
    if request.method == "POST":
        pdf = invites.print_letters(team=staff.team, by=request.user)
        if pdf is None:
            messages.info(request, "There are no letters to print.")
            return redirect("portal-letters")
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="self-review-letters-{timezone.localdate()}.pdf"'
        return response
    rows = list(invites.letters_to_print(staff.team))
    visible = people_listing(user=request.user, person_ids=[r.review.person_id for r in rows],
                             resource="self-review letters", path=request.path)
    return render(request, "portal/staff/letters.html", {
        "team": staff.team, "rows": [{"row": r, "person": visible.get(r.review.person_id)} for r in rows]})
