"""View helpers: turn access refusals into the right page, and require a staff role."""

from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from carecase.audit.access import NoAccess, ReasonRequired, RestrictedRecord, staff_member
from carecase.people.models import Person
from carecase.records.models import CaseNote, Contact


def staff_required(view):
    """Signed in with a CareCase role; otherwise sign in, or a 403 page that says why."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={request.get_full_path()}")
        if staff_member(request.user) is None:
            raise PermissionDenied("Your account does not have a CareCase role yet. Ask your team leader.")
        return view(request, *args, **kwargs)

    return wrapper


def person_page(view):
    """For views under /people/<person_id>/: handles the access outcomes of the selectors in one place."""

    @staff_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (Person.DoesNotExist, CaseNote.DoesNotExist, Contact.DoesNotExist):
            raise Http404("No record with that number") from None
        except ReasonRequired as exc:
            return redirect(f"{reverse('person-reason', args=[exc.person_id])}?next={request.get_full_path()}")
        except RestrictedRecord:
            return render(request, "people/restricted.html", status=403)
        except NoAccess as exc:
            raise PermissionDenied(str(exc)) from None

    return wrapper
