"""The self-review portal's pages, under /my-review/.

A separate realm from the staff pages: the signed-in portal account is kept under its own session key and
every page reads only that account's own person and self-review, found from the session, never from the
URL. The only thing a URL ever carries is an invitation's or sign-in link's random token.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from carecase.web.views import _apply_errors

from . import forms as pf
from . import questions, services
from .models import PortalAccount, SelfReviewStatus

SESSION_ACCOUNT = "portal_account_id"
SESSION_SIGNED_IN_AT = "portal_signed_in_at"
SESSION_INVITATION = "portal_invitation"
MAX_SESSION = dt.timedelta(hours=8)  # however active, sign in again after this
INVITATION_STEP = dt.timedelta(minutes=30)  # from matching the code to choosing how to sign in
IP_LIMIT, IP_WINDOW = 30, 15 * 60  # tries of a code or password from one address per 15 minutes


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _too_many(request, bucket: str) -> bool:
    """Count a try from this address; True once it has tried too often lately (codes and passwords)."""
    key = f"portal:tries:{bucket}:{_client_ip(request)}"
    cache.add(key, 0, IP_WINDOW)
    try:
        return cache.incr(key) > IP_LIMIT
    except ValueError:  # expired between add and incr
        cache.set(key, 1, IP_WINDOW)
        return False


def _too_many_response(request):
    return render(request, "portal/too_many.html", status=429)


def _sign_in(request, account: PortalAccount) -> None:
    request.session.cycle_key()  # a new session key at sign-in: no fixation
    request.session.pop(SESSION_INVITATION, None)
    request.session[SESSION_ACCOUNT] = account.id
    request.session[SESSION_SIGNED_IN_AT] = timezone.now().isoformat()


def _signed_in_account(request) -> PortalAccount | None:
    account_id = request.session.get(SESSION_ACCOUNT)
    started = request.session.get(SESSION_SIGNED_IN_AT)
    if not account_id or not started:
        return None
    if timezone.now() - dt.datetime.fromisoformat(started) > MAX_SESSION:
        request.session.pop(SESSION_ACCOUNT, None)
        return None
    return PortalAccount.objects.filter(pk=account_id, is_active=True).select_related("person").first()


def portal_page(view):
    """Pages for a signed-in portal account; the view gets the account and its current self-review."""

    @never_cache
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        account = _signed_in_account(request)
        if account is None:
            messages.info(request, "Sign in to carry on with your review.")
            return redirect("portal-sign-in")
        self_review = services.current_self_review(account)
        if self_review is None:
            return render(request, "portal/nothing_to_review.html", {"account": account})
        return view(request, account, self_review, *args, **kwargs)

    return wrapper


def _context(account, self_review, **extra) -> dict:
    labels = services.outcome_labels(self_review)
    all_pages = questions.pages(labels)
    done = [questions.page_done(p, self_review.answers) for p in all_pages]
    return {"account": account, "person": account.person, "self_review": self_review, "pages": all_pages,
            "rows": list(zip(all_pages, done, strict=True)), "done_count": sum(done), "page_count": len(all_pages),
            "contact": services.named_contact(self_review.review), **extra}


# ---------------------------------------------------------------- from the invitation to an account


@never_cache
def start(request, token: str = ""):
    """The link in the invitation: the code from the letter or email, and the date of birth."""
    if not token:
        return render(request, "portal/start_without_link.html")
    if not services.invitation_is_usable(token):
        return render(request, "portal/link_expired.html", status=410)
    form = pf.StartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if _too_many(request, "code"):
            return _too_many_response(request)
        if form.is_valid():
            try:
                invitation = services.invitation_redeem(token=token, code=form.cleaned_data["code"],
                                                        date_of_birth=form.cleaned_data["date_of_birth"])
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                request.session.cycle_key()
                request.session[SESSION_INVITATION] = {"id": invitation.id, "token": token,
                                                       "at": timezone.now().isoformat()}
                return redirect("portal-create-account")
    return render(request, "portal/start.html", {"form": form})


def _redeemed_invitation(request) -> dict | None:
    held = request.session.get(SESSION_INVITATION)
    if not held or timezone.now() - dt.datetime.fromisoformat(held["at"]) > INVITATION_STEP:
        return None
    return held


@never_cache
def create_account(request):
    held = _redeemed_invitation(request)
    if held is None:
        messages.info(request, "Use the link in your letter or email to start again.")
        return redirect("portal-start-without-link")
    form = pf.CreateAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            account, _self_review = services.account_from_redeemed(
                invitation_id=held["id"], token=held["token"], email=d["email"] or "",
                password=d["password"] if d["how"] == "password" else "",
                representative_name=d["representative_name"] if d["for_someone_else"] == "yes" else "")
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            _sign_in(request, account)
            return redirect("portal-home")
    return render(request, "portal/create_account.html", {"form": form})


# ---------------------------------------------------------------- signing in and out


@never_cache
def sign_in(request):
    form = pf.SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if _too_many(request, "password"):
            return _too_many_response(request)
        if form.is_valid():
            try:
                account = services.sign_in(email=form.cleaned_data["email"], password=form.cleaned_data["password"])
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                _sign_in(request, account)
                return redirect("portal-home")
    return render(request, "portal/sign_in.html", {"form": form})


@never_cache
def sign_in_link_request(request):
    form = pf.SignInLinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if _too_many(request, "link"):
            return _too_many_response(request)
        if form.is_valid():
            services.sign_in_link_send(email=form.cleaned_data["email"])
            return render(request, "portal/sign_in_link_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "portal/sign_in_link_request.html", {"form": form})


@never_cache
def sign_in_with_link(request, token: str):
    """GET shows a button; only the POST uses the link, so an email scanner opening it cannot use it up."""
    if request.method == "POST":
        try:
            account = services.sign_in_with_link(token=token)
        except ValidationError as exc:
            return render(request, "portal/link_expired.html", {"message": exc.messages[0]}, status=410)
        _sign_in(request, account)
        return redirect("portal-home")
    return render(request, "portal/sign_in_with_link.html")


@require_POST
def sign_out(request):
    request.session.flush()
    return render(request, "portal/signed_out.html")


# ---------------------------------------------------------------- the review itself


@portal_page
def home(request, account, self_review):
    if self_review.status != SelfReviewStatus.IN_PROGRESS:
        return redirect("portal-done")
    return render(request, "portal/home.html", _context(account, self_review))


@portal_page
def plan_summary(request, account, self_review):
    plan = self_review.review.plan
    return render(request, "portal/plan.html", _context(
        account, self_review, plan=plan, outcomes=list(plan.outcomes.all()),
        services_list=list(plan.services.all())))


@portal_page
def question_page(request, account, self_review, slug: str):
    if self_review.status != SelfReviewStatus.IN_PROGRESS:
        return redirect("portal-done")
    labels = services.outcome_labels(self_review)
    all_pages = questions.pages(labels)
    page = next((p for p in all_pages if p.slug == slug), None)
    if page is None:
        return render(request, "portal/not_found.html", status=404)
    saved = self_review.answers.get(slug) or {}
    form = pf.page_form(page, request.POST if request.method == "POST" else None, initial=saved)
    if request.method == "POST" and form.is_valid():
        errors = services.answers_save(self_review=self_review, slug=slug,
                                       data={q.code: form.cleaned_data.get(q.code, "") for q in page.questions})
        if request.POST.get("later"):
            messages.success(request, "Your answers have been saved. You can come back and finish at any time "
                                      "before your review is due.")
            return redirect("portal-home")
        if errors:
            for code, message in errors.items():
                form.add_error(code, message)
        else:
            index = all_pages.index(page)
            following = next((p for p in all_pages[index + 1:]
                              if not questions.page_done(p, {**self_review.answers, slug: form.cleaned_data})), None)
            return redirect("portal-question", following.slug) if following else redirect("portal-check")
    number = all_pages.index(page) + 1
    return render(request, "portal/question.html", _context(
        account, self_review, page=page, form=form, number=number))


@portal_page
def check_answers(request, account, self_review):
    if self_review.status != SelfReviewStatus.IN_PROGRESS:
        return redirect("portal-done")
    context = _context(account, self_review)
    answered = questions.answered(context["pages"], self_review.answers)
    error = None
    if request.method == "POST":
        try:
            submitted = services.submit(self_review=self_review)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            request.session["portal_duty_task"] = bool(submitted.duty_task)
            return redirect("portal-done")
    return render(request, "portal/check.html", {**context, "answered": answered, "error": error})


@portal_page
def done(request, account, self_review):
    if self_review.status == SelfReviewStatus.IN_PROGRESS:
        return redirect("portal-home")
    return render(request, "portal/done.html", _context(
        account, self_review, duty_task=request.session.get("portal_duty_task", False),
        duty_when=services.when_duty_will_call()))
