"""The Safeguarding tab on a person's record (templates/people/_person_base.html): shown to whoever the
person's safeguarding page would let in, decided with at most one query (safeguarding/access.py)."""

from __future__ import annotations

from django import template

from safeguarding import access

register = template.Library()


@register.inclusion_tag("safeguarding/_person_tab.html", takes_context=True)
def safeguarding_tab(context):
    """`{% safeguarding_tab %}` inside a person page: reads `person`, `allocation`, `section` and the request's
    user from the page's context."""
    person, request = context.get("person"), context.get("request")
    allocation = context.get("allocation")
    show = False
    if person is not None and request is not None:
        staff = access.staff_member(request.user)
        allocated = bool(staff is not None and allocation is not None
                         and getattr(allocation, "worker_id", None) == staff.id)
        show = access.shows_person_tab(request.user, person, allocated=allocated)
    return {"show": show, "person": person, "section": context.get("section")}
