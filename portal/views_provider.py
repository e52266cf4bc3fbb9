"""Provider-led reviews: the provider's single-use page (no account; the link's token is the only key) and
the staff page that sends the link and signs the answers off."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from carecase.web.decorators import person_page
from carecase.web.forms import GovukForm
from carecase.web.views import _apply_errors, _person_context

from . import provider
from .models import ProviderReview, ProviderReviewStatus
from .views_staff import AcceptForm, ToWorkerForm, _review

STILL = [("yes", "Yes"), ("partly", "Partly"), ("no", "No")]


def provider_form(item: ProviderReview, data=None) -> GovukForm:
    fields = {}
    for outcome in item.review.plan.outcomes.all():
        fields[f"outcome_{outcome.id}"] = forms.ChoiceField(
            label=f"Is this still being met: “{outcome.label}”?", choices=STILL, widget=forms.RadioSelect)
        fields[f"outcome_{outcome.id}_note"] = forms.CharField(
            label="Anything to add about this", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    fields["working"] = forms.CharField(label="What is working well?", required=False,
                                        widget=forms.Textarea(attrs={"rows": 3}))
    fields["changed"] = forms.ChoiceField(label="Have their needs, health or circumstances changed?",
                                          choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect)
    fields["changes"] = forms.CharField(label="What has changed?", required=False,
                                        help_text="Leave blank if nothing has changed.",
                                        widget=forms.Textarea(attrs={"rows": 3}))
    fields["concerns"] = forms.CharField(
        label="Any concerns about their safety or wellbeing?", required=False,
        help_text="If you think they are at risk of harm now, call the council's safeguarding number as well.",
        widget=forms.Textarea(attrs={"rows": 3}))
    fields["completed_by_name"] = forms.CharField(label="Your name and role", max_length=200)
    return type("ProviderForm", (GovukForm,), fields)(data)


@never_cache
def provider_page(request, token: str):
    item = provider.item_for_token(token)
    if item is None:
        return render(request, "portal/provider_link_dead.html", {"message": provider.LINK_DEAD}, status=410)
    form = provider_form(item, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        answers = {k: v for k, v in form.cleaned_data.items() if k != "completed_by_name"}
        try:
            provider.submit(token=token, answers=answers, completed_by_name=form.cleaned_data["completed_by_name"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return render(request, "portal/provider_done.html", {"item": item})
    return render(request, "portal/provider_form.html", {"item": item, "form": form,
                                                         "person_name": item.review.person.display_name})


class SendForm(GovukForm):
    provider_name = forms.CharField(label="Provider", max_length=200)
    email = forms.EmailField(label="Provider's email address",
                             help_text="A secure, named address at the provider, not a shared inbox if you can.")


@person_page
def staff_page(request, review_id: int, send=None, accept=None, worker=None):
    review = _review(request, review_id)
    items = list(ProviderReview.objects.filter(review=review))
    current = next((i for i in items if i.status == ProviderReviewStatus.SUBMITTED), None)
    form = next((f for f in (send, accept, worker) if f is not None and f.errors), None)
    return render(request, "portal/staff/provider.html", {
        **_person_context(request, review.person, "reviews"), "review": review, "items": items,
        "current": current, "send_form": send or SendForm(), "accept_form": accept or AcceptForm(),
        "worker_form": worker or ToWorkerForm(), "form": form,
        "outcomes": {f"outcome_{o.id}": o.label for o in review.plan.outcomes.all()},
        "can_sign_off": bool(current and not provider._has_concern(current.answers))})


@require_POST
@person_page
def staff_send(request, review_id: int):
    review = _review(request, review_id)
    form = SendForm(request.POST)
    if form.is_valid():
        try:
            item = provider.link_send(review=review, by=request.user, provider_name=form.cleaned_data["provider_name"],
                                      email=form.cleaned_data["email"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"The link has been emailed to {item.sent_to}. It works once, for 4 weeks.")
            return redirect("portal-staff-provider", review.id)
    return staff_page(request, review_id, send=form)


def _submitted(review) -> ProviderReview:
    item = ProviderReview.objects.filter(review=review, status=ProviderReviewStatus.SUBMITTED).first()
    if item is None:
        raise Http404("No provider review waiting for sign-off")
    return item


@require_POST
@person_page
def staff_sign_off(request, review_id: int):
    review = _review(request, review_id)
    item = _submitted(review)
    form = AcceptForm(request.POST)
    if form.is_valid():
        try:
            done = provider.sign_off(item=item, by=request.user,
                                     next_review_due_on=form.cleaned_data["next_review_due_on"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"Signed off as the review. The next review is due by "
                                      f"{done.next_review_due_on:%-d %B %Y}.")
            return redirect("review-detail", review.id)
    return staff_page(request, review_id, accept=form)


@require_POST
@person_page
def staff_to_worker(request, review_id: int):
    review = _review(request, review_id)
    item = _submitted(review)
    form = ToWorkerForm(request.POST)
    if form.is_valid():
        try:
            provider.to_worker(item=item, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "This is now a review by a worker, who will use the provider's answers.")
            return redirect("review-detail", review.id)
    return staff_page(request, review_id, worker=form)
